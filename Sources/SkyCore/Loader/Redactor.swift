import Foundation

/// Replaces secret values with `<redacted>` in text bound for logs, errors and output.
/// `TaskLoader` registers every inline and command-line secret it sees; other code may register
/// more (tokens, passwords) with `register(_:)`.
public enum Redactor {
    public static let placeholder = "<redacted>"

    private static let registry = SecretRegistry()

    /// Values shorter than this are not registered globally: redacting every `ab` would make logs
    /// unreadable without protecting anything.
    public static let minimumLength = 4

    /// The values of `secrets` to hide: not those the task also passes as a plain env of the
    /// same name (an `--env-file` value is both, as in SkyPilot, where it also feeds secrets: the
    /// user gave it as an env and sees it as one), nor those shorter than `minimumLength`.
    public static func hiddenValues(secrets: [(String, String?)], envs: [(String, String?)])
        -> [String]
    {
        secrets.compactMap { key, value in
            guard let value, value.count >= minimumLength,
                !envs.contains(where: { $0.0 == key && $0.1 == value })
            else { return nil }
            return value
        }
    }

    /// Remembers values to redact from now on.
    public static func register<S: Sequence>(_ values: S) where S.Element == String {
        registry.add(values.filter { $0.count >= minimumLength })
    }

    /// Every registered secret value replaced by `<redacted>`.
    public static func redact(_ text: String) -> String {
        redact(text, secrets: registry.values)
    }

    /// `secrets` replaced by `<redacted>` in `text` (longest first, so overlapping values go whole).
    public static func redact(_ text: String, secrets: [String]) -> String {
        var out = text
        for secret in secrets.filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count })
        where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: placeholder)
        }
        return out
    }
}

private final class SecretRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Set<String> = []

    func add<S: Sequence>(_ values: S) where S.Element == String {
        lock.lock()
        stored.formUnion(values)
        lock.unlock()
    }

    var values: [String] {
        lock.lock()
        defer { lock.unlock() }
        return Array(stored)
    }
}
