import Foundation

/// Status of an API-server style request (reference 12).
package enum RequestStatus: String, Codable, Sendable, CaseIterable {
    case pending = "PENDING"
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"

    package var isFinished: Bool {
        switch self {
        case .pending, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }
}

/// One request: an engine operation with an id, its body and its outcome.
/// `body`, `result` and `error` are JSON text; they never hold secret values.
package struct RequestRecord: Codable, Sendable, Equatable {
    /// A UUID string (lower case); may be looked up by unique prefix.
    package var id: String
    /// Operation name, e.g. `sky.launch`.
    package var name: String
    package var status: RequestStatus
    package var createdAt: Date
    package var finishedAt: Date?
    package var userName: String
    package var userId: String?
    package var clusterName: String?
    /// `long` or `short` queue.
    package var scheduleType: String
    package var body: String
    package var result: String?
    /// JSON text `{"type": ..., "message": ...}` when the request failed.
    package var error: String?
    package var statusMessage: String?
    /// Process running the request, for cancellation.
    package var pid: Int32?

    package init(
        id: String = UUID().uuidString.lowercased(), name: String,
        status: RequestStatus = .pending, createdAt: Date = Date(), finishedAt: Date? = nil,
        userName: String, userId: String? = nil, clusterName: String? = nil,
        scheduleType: String = "short", body: String = "{}", result: String? = nil,
        error: String? = nil, statusMessage: String? = nil, pid: Int32? = nil
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.userName = userName
        self.userId = userId
        self.clusterName = clusterName
        self.scheduleType = scheduleType
        self.body = body
        self.result = result
        self.error = error
        self.statusMessage = statusMessage
        self.pid = pid
    }
}

/// Which requests `requests(matching:)` returns; nil fields do not filter.
package struct RequestFilter: Sendable, Equatable {
    package var statuses: [RequestStatus]?
    package var clusterName: String?
    package var userName: String?
    package var limit: Int?

    package init(
        statuses: [RequestStatus]? = nil, clusterName: String? = nil, userName: String? = nil,
        limit: Int? = nil
    ) {
        self.statuses = statuses
        self.clusterName = clusterName
        self.userName = userName
        self.limit = limit
    }
}
