/// Result of a credentials probe (`sky check`).
public struct CredentialCheck: Codable, Sendable, Hashable {
    public var enabled: Bool
    /// Why disabled, or a note when enabled (e.g. "2 pools: a, b").
    public var reason: String?
    /// What to do about it when disabled (`sky check` prints it after the reason).
    public var hint: String?

    public init(enabled: Bool, reason: String? = nil, hint: String? = nil) {
        self.enabled = enabled
        self.reason = reason
        self.hint = hint
    }
}
