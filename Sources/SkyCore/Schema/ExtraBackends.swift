import Foundation

/// Backend names beyond SkyPilot's clouds that `infra:` / `cloud:` / `--infra` / `--cloud` accept:
/// the installed provisioner plugins. The engine or CLI supplies them (a directory scan; no
/// plugin is started). The lookup runs at most once per load, and only when a name is not a
/// built-in cloud, so a task naming only built-in clouds never pays for it. A built-in name
/// always means the built-in backend.
public final class ExtraBackends: @unchecked Sendable {
    private let lookup: @Sendable () -> Set<String>
    private let lock = NSLock()
    private var cached: Set<String>?

    /// Names from `lookup`, called lazily; names are compared lower-case.
    public init(_ lookup: @escaping @Sendable () -> Set<String>) {
        self.lookup = lookup
    }

    public convenience init(_ names: Set<String>) {
        self.init { names }
    }

    /// No extra backend: only SkyPilot's clouds (and `local`).
    public static let none = ExtraBackends(Set<String>())

    /// Every extra name, lower-case (runs the lookup on first use).
    public var names: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let found = Set(lookup().map { $0.lowercased() })
            .subtracting(InfraSpec.knownClouds).subtracting(["k8s", "digitalocean"])
        cached = found
        return found
    }

    public func contains(_ name: String) -> Bool {
        names.contains(name.lowercased())
    }

    /// The first `/`-separated part of an infra string, when it names an extra backend.
    func backend(ofInfra text: String) -> String? {
        var infra = Substring(text.trimmingCharacters(in: .whitespaces))
        while infra.hasPrefix("/") { infra = infra.dropFirst() }
        guard let first = infra.split(separator: "/", omittingEmptySubsequences: false).first else {
            return nil
        }
        let name = first.trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, InfraSpec.canonicalCloud(name) == nil, contains(name) else {
            return nil
        }
        return name
    }

    /// "did you mean" text for an unknown cloud name, among built-in clouds and extra names.
    func suggestion(for name: String) -> String {
        let lower = name.lowercased()
        guard InfraSpec.canonicalCloud(lower) == nil, !contains(lower) else { return "" }
        let candidates = InfraSpec.knownClouds + ["k8s"] + names.sorted()
        guard let close = CloseMatch.best(lower, among: candidates) else { return "" }
        return " (did you mean \(PyNumber.reprString(close))?)"
    }
}
