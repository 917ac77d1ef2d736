/// Why a provisioning operation failed. The failover loop decides on the case (the code),
/// never on the message text. Messages are sentences a user can act on.
public enum ProvisionError: Error, CustomStringConvertible, Sendable, Hashable, Codable {
    /// Credentials missing, expired or rejected: the whole backend is skipped.
    case credentials(String)
    /// An account quota was hit: the region is skipped.
    case quota(String)
    /// No capacity right now (stock-out, pool full): the zone (or region) is skipped.
    case capacity(String)
    /// The request cannot work on this backend as written: the backend is skipped.
    case invalidConfig(String)
    /// The cluster or instance does not exist.
    case notFound(String)
    /// The backend does not support the operation (stop on Kubernetes, ports on SSH...).
    case unsupported(String)
    /// Anything else (network, unexpected response).
    case `internal`(String)

    /// The wire code of the case (`capacity`, `quota`, ...), as plugins send it.
    public var code: String {
        switch self {
        case .credentials: "credentials"
        case .quota: "quota"
        case .capacity: "capacity"
        case .invalidConfig: "invalidConfig"
        case .notFound: "notFound"
        case .unsupported: "unsupported"
        case .internal: "internal"
        }
    }

    public var message: String {
        switch self {
        case .credentials(let m), .quota(let m), .capacity(let m), .invalidConfig(let m),
            .notFound(let m), .unsupported(let m), .internal(let m):
            m
        }
    }

    /// Builds an error from a wire code; unknown codes are `internal`.
    public init(code: String, message: String) {
        switch code {
        case "credentials": self = .credentials(message)
        case "quota": self = .quota(message)
        case "capacity": self = .capacity(message)
        case "invalidConfig": self = .invalidConfig(message)
        case "notFound": self = .notFound(message)
        case "unsupported": self = .unsupported(message)
        default: self = .internal(message)
        }
    }

    public var description: String { message }

    /// Runs `body`, turning any non-`ProvisionError` into `.internal` with its description.
    public static func wrap<T>(_ body: () async throws -> T) async throws(ProvisionError) -> T {
        do {
            return try await body()
        } catch let error as ProvisionError {
            throw error
        } catch {
            throw .internal("\(error)")
        }
    }
}
