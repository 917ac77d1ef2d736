import Foundation
import SkyRuntime

/// Runs commands in one pod's `ray-node` container through `kubectl exec` (reference 6.1:
/// no ssh inside the cluster). The argv goes to kubectl as an array after `--`; the
/// environment is passed with `env K=V ... argv`, so nothing is re-parsed by a shell.
/// Files move with rsync whose remote shell is `kubectl exec -i` (the image needs rsync, as
/// the testbed image has); remote paths `~/x` are relative to the container's working
/// directory `/root`, which is also root's HOME.
package struct KubectlExecRunner: CommandRunner {
    package let pod: String
    package let container: String
    package let kubectl: Kubectl

    package init(pod: String, container: String = "ray-node", kubectl: Kubectl) {
        self.pod = pod
        self.container = container
        self.kubectl = kubectl
    }

    package var nodeName: String { pod }

    /// The kubectl argv that runs `argv` in the pod.
    package func execArguments(_ argv: [String], stdin: Bool, environment: [String: String])
        -> [String]
    {
        var args = [kubectl.binary] + kubectl.globalArguments + ["exec"]
        if stdin { args.append("-i") }
        args += [pod, "-c", container, "--"]
        if !environment.isEmpty {
            args += ["env"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        }
        return args + argv
    }

    package func run(_ argv: [String], stdin: Data?, environment: [String: String]) async throws
        -> CommandResult
    {
        try await ProcessExecution.run(
            execArguments(argv, stdin: stdin != nil, environment: environment),
            environment: kubectl.environment, stdin: stdin)
    }

    package func stream(
        _ argv: [String], stdin: Data?, environment: [String: String],
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32 {
        try await ProcessExecution.run(
            execArguments(argv, stdin: stdin != nil, environment: environment),
            environment: kubectl.environment, stdin: stdin, onStdoutLine: onLine
        ).exitCode
    }

    /// `~/x` → `x` (relative to `/root`, the working directory of exec'd commands).
    package static func remote(_ path: String) -> String {
        if path == "~" || path == "~/" { return "." }
        if path.hasPrefix("~/") { return String(path.dropFirst(2)) }
        return path
    }

    package func upload(_ localPath: String, to remotePath: String, filters: [String])
        async throws
    {
        let destination = Self.remote(remotePath)
        let trimmed = destination.hasSuffix("/") ? String(destination.dropLast()) : destination
        let parent = (trimmed as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            let made = try await run(["mkdir", "-p", parent], stdin: nil, environment: [:])
            guard made.exitCode == 0 else {
                throw RunnerError.copyFailed(
                    node: pod, command: "mkdir -p \(parent)",
                    detail: made.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        try await rsync(filters + [localPath, "\(pod):\(destination)"])
    }

    package func download(_ remotePath: String, to localPath: String) async throws {
        let trimmed = localPath.hasSuffix("/") ? String(localPath.dropLast()) : localPath
        let parent = (trimmed as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try FileManager.default.createDirectory(
                atPath: parent, withIntermediateDirectories: true)
        }
        try await rsync(["\(pod):\(Self.remote(remotePath))", localPath])
    }

    /// rsync with `kubectl exec` as its remote shell: a small helper script (written once per
    /// process, no secrets in it) receives `POD rsync --server ...` from rsync and runs
    /// `$SKY_KUBECTL <flags> exec -i POD -c ray-node -- rsync --server ...`.
    private func rsync(_ args: [String]) async throws {
        let helper = try Self.rshHelper()
        var env = kubectl.environment
        env["SKY_KUBECTL"] = kubectl.binary
        env["SKY_KUBECTL_FLAGS"] = kubectl.globalArguments.joined(separator: "\u{1F}")
        env["SKY_KUBECTL_CONTAINER"] = container
        let argv = ["rsync", "-a", "--blocking-io", "-e", helper] + args
        let result = try await ProcessExecution.run(argv, environment: env)
        guard result.exitCode == 0 else {
            throw RunnerError.copyFailed(
                node: pod, command: "rsync over kubectl exec",
                detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Path of the rsh helper script (created on first use, mode 0700).
    static func rshHelper() throws -> String {
        let path = NSTemporaryDirectory() + "/sky-kubectl-rsh-\(getuid()).sh"
        let script = """
            #!/bin/bash
            # rsync remote shell for the sky Kubernetes backend: POD CMD... -> kubectl exec.
            pod="$1"; shift
            IFS=$'\\x1f' read -r -a flags <<< "$SKY_KUBECTL_FLAGS"
            exec "$SKY_KUBECTL" "${flags[@]}" exec -i "$pod" -c "$SKY_KUBECTL_CONTAINER" -- "$@"

            """
        if (try? String(contentsOfFile: path, encoding: .utf8)) != script {
            let temp = path + ".\(UUID().uuidString)"
            try script.write(toFile: temp, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: temp)
            _ = rename(temp, path)
        }
        return path
    }
}
