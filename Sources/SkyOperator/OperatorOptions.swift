import Foundation

/// `sky-operator` settings: flags, else `SKY_OPERATOR_<FLAG>` environment variables
/// (`--leader-election-namespace` → `SKY_OPERATOR_LEADER_ELECTION_NAMESPACE`).
package struct OperatorOptions: Sendable {
    /// nil: in-cluster service account (or `$KUBECONFIG` when not in a pod).
    package var kubeconfig: String?
    package var context: String?
    /// Watched namespace; nil = all.
    package var namespace: String?
    package var leaderElectionNamespace: String?
    package var leaderElectionID = "sky-operator"
    package var healthPort = 8081
    package var metricsPort = 8080
    package var skyHome: String?
    package var resyncSeconds = 300
    package var identity: String?
    package var workers = 4
    /// Bind address of the health and metrics endpoints.
    package var bindAddress = "0.0.0.0"

    package init() {}

    static let flags: [(flag: String, help: String)] = [
        ("kubeconfig", "kubeconfig file (default: in-cluster service account, else $KUBECONFIG)"),
        ("context", "kubeconfig context (default: current-context)"),
        ("namespace", "namespace to watch (default: all namespaces)"),
        (
            "leader-election-namespace",
            "namespace of the leader Lease (default: the watched namespace, else default)"
        ),
        ("leader-election-id", "name of the leader Lease (default: sky-operator)"),
        ("health-port", "port of /healthz and /readyz (default: 8081)"),
        ("metrics-port", "port of /metrics (default: 8080)"),
        ("sky-home", "engine state directory (default: ~/.sky)"),
        ("resync-seconds", "seconds between full resyncs (default: 300)"),
        ("identity", "leader election identity (default: hostname-pid)"),
        ("workers", "concurrent reconciles per kind (default: 4)"),
        ("bind-address", "address the health and metrics ports listen on (default: 0.0.0.0)"),
    ]

    package static var usage: String {
        var text =
            "USAGE: sky-operator [options]\n\nReconciles SkyCluster, SkyJob and SkyService resources (sky.dev/v1alpha1).\n\nOPTIONS:\n"
        for (flag, help) in flags {
            text +=
                "  --\(flag) VALUE".padding(toLength: 36, withPad: " ", startingAt: 0) + help + "\n"
            text +=
                "      env SKY_OPERATOR_\(flag.uppercased().replacingOccurrences(of: "-", with: "_"))\n"
        }
        return text
    }

    package static func parse(_ arguments: [String], environment: [String: String]) throws
        -> OperatorOptions
    {
        var values: [String: String] = [:]
        for (flag, _) in flags {
            let variable =
                "SKY_OPERATOR_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
            if let value = environment[variable], !value.isEmpty { values[flag] = value }
        }
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else {
                throw OperatorError.invalidFlag("unexpected argument '\(argument)'")
            }
            var flag = String(argument.dropFirst(2))
            var value: String?
            if let equals = flag.firstIndex(of: "=") {
                value = String(flag[flag.index(after: equals)...])
                flag = String(flag[..<equals])
            }
            guard flags.contains(where: { $0.flag == flag }) else {
                throw OperatorError.invalidFlag("unknown flag --\(flag)")
            }
            if value == nil {
                index += 1
                guard index < arguments.count else {
                    throw OperatorError.invalidFlag("--\(flag) needs a value")
                }
                value = arguments[index]
            }
            values[flag] = value
            index += 1
        }
        var options = OperatorOptions()
        options.kubeconfig = values["kubeconfig"]
        options.context = values["context"]
        options.namespace = values["namespace"].flatMap { $0.isEmpty ? nil : $0 }
        options.leaderElectionNamespace = values["leader-election-namespace"]
        options.leaderElectionID = values["leader-election-id"] ?? options.leaderElectionID
        options.skyHome = values["sky-home"]
        options.identity = values["identity"]
        options.bindAddress = values["bind-address"] ?? options.bindAddress
        func int(_ flag: String, _ fallback: Int) throws -> Int {
            guard let text = values[flag] else { return fallback }
            guard let value = Int(text), value >= 0 else {
                throw OperatorError.invalidFlag("--\(flag) must be a number, got '\(text)'")
            }
            return value
        }
        options.healthPort = try int("health-port", options.healthPort)
        options.metricsPort = try int("metrics-port", options.metricsPort)
        options.resyncSeconds = max(1, try int("resync-seconds", options.resyncSeconds))
        options.workers = max(1, try int("workers", options.workers))
        return options
    }

    /// The lease's namespace: the flag, else the watched namespace, else `default`.
    package var leaseNamespace: String { leaderElectionNamespace ?? namespace ?? "default" }

    package var resolvedIdentity: String {
        identity
            ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }
}
