import Foundation

/// The API server's `Status` object (metav1.Status), sent with every error.
package struct KubeStatus: Codable, Sendable, Hashable {
    package var kind: String?
    package var apiVersion: String?
    package var status: String?
    package var message: String?
    /// `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Expired`, `Gone`, `Forbidden`, ...
    package var reason: String?
    package var code: Int?
    package var details: Details?

    package struct Details: Codable, Sendable, Hashable {
        package var name: String?
        package var group: String?
        package var kind: String?
        package var causes: [Cause]?
    }

    package struct Cause: Codable, Sendable, Hashable {
        package var reason: String?
        package var message: String?
        package var field: String?
    }

    package init(code: Int, reason: String?, message: String?) {
        self.kind = "Status"
        self.status = "Failure"
        self.code = code
        self.reason = reason
        self.message = message
    }

    /// Decodes a `Status` from an error body; a body that is not one gives a Status with the
    /// HTTP code and the body's text.
    package static func from(body: Data, httpCode: Int) -> KubeStatus {
        if var status = try? JSONDecoder().decode(KubeStatus.self, from: body),
            status.kind == "Status"
        {
            if status.code == nil { status.code = httpCode }
            return status
        }
        let text = String(decoding: body.prefix(500), as: UTF8.self)
        return KubeStatus(
            code: httpCode, reason: nil, message: text.isEmpty ? "HTTP \(httpCode)" : text)
    }
}
