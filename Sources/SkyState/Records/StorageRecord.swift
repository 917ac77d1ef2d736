import Foundation

/// Status of a storage object (reference 11).
package enum StorageStatus: String, Codable, Sendable, CaseIterable {
    case initializing = "INIT"
    case initFailed = "INIT_FAILED"
    case uploadFailed = "UPLOAD_FAILED"
    case ready = "READY"
}

/// A bucket Sky knows about (`sky storage ls`).
package struct StorageRecord: Codable, Sendable, Equatable {
    package var name: String
    /// Store type, e.g. `S3`, `GCS`; nil before a store is chosen.
    package var store: String?
    /// Local path or bucket URI the storage was created from.
    package var source: String?
    package var status: StorageStatus
    package var createdAt: Date
    /// Opaque JSON text for the storage layer (stores, mode, persistence); never secrets.
    package var handle: String?
    package var updatedAt: Date

    package init(
        name: String, store: String? = nil, source: String? = nil,
        status: StorageStatus = .initializing, createdAt: Date = Date(), handle: String? = nil,
        updatedAt: Date = Date()
    ) {
        self.name = name
        self.store = store
        self.source = source
        self.status = status
        self.createdAt = createdAt
        self.handle = handle
        self.updatedAt = updatedAt
    }
}
