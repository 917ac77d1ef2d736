import Foundation
import SkyCore
import SkyRuntime
import Synchronization

/// Talks to the skylet on a cluster's head node through the head's `CommandRunner`: every
/// call is one `~/.sky/bin/skylet <subcommand>` run; structured input travels on stdin
/// (secrets included, so they never appear in an argv) and output is JSON.
package struct SkyletClient: Sendable {
    /// Where the skylet lives on every node (relative to the node's home).
    package static let remotePath = ".sky/bin/skylet"

    package let runner: any CommandRunner

    package init(runner: any CommandRunner) {
        self.runner = runner
    }

    /// `bash -c 'exec "$HOME/.sky/bin/skylet" "$@"' skylet ARGS...`: the node's own home.
    static func argv(_ args: [String]) -> [String] {
        ["bash", "-c", "exec \"$HOME/\(remotePath)\" \"$@\"", "skylet"] + args
    }

    @discardableResult
    func call(_ args: [String], stdin: Data? = nil, what: String) async throws -> String {
        let result = try await runner.run(Self.argv(args), stdin: stdin, environment: [:])
        guard result.exitCode == 0 else {
            throw Self.failure(result, node: runner.nodeName, what: what)
        }
        return result.stdout
    }

    /// A failed skylet call as the error the user sees.
    static func failure(_ result: CommandResult, node: String, what: String) -> JobsError {
        JobsError.skylet(
            node: node, command: what, detail: detail(code: result.exitCode, stderr: result.stderr))
    }

    /// Why a skylet call failed, from its exit code and stderr.
    static func detail(code: Int32, stderr: String) -> String {
        var detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        if detail.hasPrefix("skylet: ") { detail = String(detail.dropFirst(8)) }
        if code == 127 { detail = "the skylet is not installed on this node (\(detail))" }
        if detail.isEmpty { detail = "exit code \(code)" }
        return detail
    }

    /// A launch's set-up in one call when the node has this build (`skylet start`: check the
    /// build, write the cluster spec, start the daemon); else installs it and starts again.
    package func start(localBinary: String, spec: ClusterSpec) async throws {
        let localHash = try await Self.hash(localBinary)
        let input = try JSONEncoder().encode(spec)
        let first = try await runner.run(
            Self.argv(["start", "--sha256", localHash]), stdin: input, environment: [:])
        if first.exitCode == 0 { return }
        guard Self.needsInstall(first.exitCode) else {
            throw Self.failure(first, node: runner.nodeName, what: "set up the cluster")
        }
        try await upload(localBinary, hash: localHash)
        try await call(["start"], stdin: input, what: "set up the cluster")
    }

    /// `skylet start`'s exit code for "not this build" (`SkyletError.outdatedExitCode`).
    static let outdatedExitCode: Int32 = 3

    private static func hash(_ localBinary: String) async throws -> String {
        guard FileManager.default.isExecutableFile(atPath: localBinary) else {
            throw JobsError.binaryNotFound(localBinary)
        }
        return try await SkyletBinary.sha256(localBinary)
    }

    /// Puts the binary at `~/.sky/bin/skylet` (staged, then renamed) with its hash beside it.
    private func upload(_ localBinary: String, hash: String) async throws {
        let staging = "~/\(Self.remotePath).new"
        do {
            try await runner.upload(localBinary, to: staging, filters: [])
        } catch {
            throw JobsError.installFailed(node: runner.nodeName, detail: "\(error)")
        }
        let move = try await runner.run(
            [
                "bash", "-c",
                "chmod 755 \"$HOME/\(Self.remotePath).new\" && mv -f \"$HOME/\(Self.remotePath).new\" \"$HOME/\(Self.remotePath)\""
                    + " && printf '%s\\n' \"$1\" > \"$HOME/\(Self.remotePath).sha256\"",
                "install", hash,
            ],
            stdin: nil, environment: [:])
        guard move.exitCode == 0 else {
            throw JobsError.installFailed(node: runner.nodeName, detail: move.stderr)
        }
    }

    package func writeClusterSpec(_ spec: ClusterSpec) async throws {
        try await call(
            ["write-cluster"], stdin: try JSONEncoder().encode(spec),
            what: "write the cluster description")
    }

    package func submit(_ spec: JobSpec) async throws -> Int {
        let out = try await call(
            ["submit"], stdin: try JSONEncoder().encode(spec), what: "submit the job")
        guard
            let id = JobReplyParser.number(
                "job_id", in: out.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw JobsError.skylet(
                node: runner.nodeName, command: "submit the job", detail: "unexpected reply \(out)")
        }
        return id
    }

    package func queue(skipFinished: Bool = false) async throws -> [JobRecord] {
        var args = ["queue", "-o", "json"]
        if skipFinished { args.append("--skip-finished") }
        let out = try await call(args, what: "list the jobs")
        do {
            return try JSONDecoder().decode([JobRecord].self, from: Data(out.utf8))
        } catch {
            throw JobsError.skylet(
                node: runner.nodeName, command: "list the jobs",
                detail: "unexpected reply: \(error)")
        }
    }

    /// Statuses of `ids` (empty: the latest job); ids that do not exist are absent.
    package func status(_ ids: [Int]) async throws -> [Int: JobStatus] {
        let out = try await call(["status"] + ids.map(String.init), what: "report job status")
        let map = (try? JSONDecoder().decode([String: JobStatus].self, from: Data(out.utf8))) ?? [:]
        return Dictionary(uniqueKeysWithValues: map.compactMap { k, v in Int(k).map { ($0, v) } })
    }

    package struct CancelResult: Codable, Sendable {
        package var cancelled: [Int]
        package var alreadyTerminal: [Int]
        package var notFound: [Int]
    }

    package func cancel(jobIDs: [Int], all: Bool) async throws -> CancelResult {
        let out = try await call(
            ["cancel"] + (all ? ["--all"] : jobIDs.map(String.init)), what: "cancel jobs")
        return try JSONDecoder().decode(CancelResult.self, from: Data(out.utf8))
    }

    /// Streams a job's log lines to `onLine` (`jobID` nil = the latest job). With `follow`,
    /// returns when the job has ended; returns the job's status at that point.
    package func streamLogs(
        jobID: Int?, follow: Bool = true, tail: Int? = nil, worker: Int? = nil,
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> JobStatus {
        var args = ["logs"]
        if let jobID { args.append(String(jobID)) }
        args.append(follow ? "--follow" : "--no-follow")
        if let tail { args += ["--tail", String(tail)] }
        if let worker { args += ["--worker", String(worker)] }
        args.append("--status-marker")
        let final = StatusBox()
        let code = try await runner.stream(Self.argv(args), stdin: nil, environment: [:]) { line in
            if !final.take(line) { onLine(line) }
        }
        guard let status = final.value else {
            throw JobsError.skylet(
                node: runner.nodeName, command: "stream the logs",
                detail: code == 1 ? "no such job" : "exit code \(code)")
        }
        return status
    }

    /// Submits a job and follows its log in one call (`skylet submit --follow`): one round
    /// trip (one Slurm step) less than `submit` then `streamLogs`. `onSubmitted` gets the job
    /// id before the first log line.
    package func submitAndFollow(
        _ spec: JobSpec, onSubmitted: @escaping @Sendable (Int) -> Void,
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> (jobID: Int, status: JobStatus) {
        let reply = try await streamJob(
            ["submit", "--follow"], stdin: try JSONEncoder().encode(spec), expectStart: false,
            onStarted: {}, onSubmitted: onSubmitted, onLine: onLine)
        return try followed(reply.parser, code: reply.code)
    }

    /// A launch's set-up and its job in one call (`skylet start --submit`): the cluster spec
    /// is written and the daemon started (`onStarted`), the job submitted (`onSubmitted`) and,
    /// unless `detach`, followed to its end. Installs this build first when the node has
    /// another one.
    package func startAndRun(
        localBinary: String, spec: ClusterSpec, job: JobSpec, detach: Bool,
        onStarted: @escaping @Sendable () -> Void,
        onSubmitted: @escaping @Sendable (Int) -> Void,
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> (jobID: Int, status: JobStatus?) {
        let localHash = try await Self.hash(localBinary)
        let input = try JSONEncoder().encode(StartRequest(cluster: spec, job: job))
        let mode = detach ? ["--submit"] : ["--submit", "--follow"]
        var installed = false
        while true {
            let args = ["start"] + (installed ? [] : ["--sha256", localHash]) + mode
            var parser = JobReplyParser(expectStart: true)
            let code: Int32
            var stderr = ""
            if detach {
                let result = try await runner.run(Self.argv(args), stdin: input, environment: [:])
                for line in result.stdout.split(separator: "\n") {
                    switch parser.feed(String(line)) {
                    case .started: onStarted()
                    case .submitted(let id): onSubmitted(id)
                    case .log, .none: break
                    }
                }
                code = result.exitCode
                stderr = result.stderr
            } else {
                let reply = try await streamJob(
                    args, stdin: input, expectStart: true, onStarted: onStarted,
                    onSubmitted: onSubmitted, onLine: onLine)
                parser = reply.parser
                code = reply.code
            }
            if !parser.started, !installed, Self.needsInstall(code) {
                try await upload(localBinary, hash: localHash)
                installed = true
                continue
            }
            guard parser.started else {
                throw JobsError.skylet(
                    node: runner.nodeName, command: "set up the cluster",
                    detail: parser.error ?? Self.detail(code: code, stderr: stderr))
            }
            if detach {
                guard let id = parser.jobID else {
                    throw JobsError.skylet(
                        node: runner.nodeName, command: "submit the job",
                        detail: Self.detail(code: code, stderr: stderr))
                }
                return (id, nil)
            }
            let (id, status) = try followed(parser, code: code)
            return (id, status)
        }
    }

    /// Exit codes of `skylet start --sha256` that mean "install this build": 3, another
    /// build; 127, none installed; 64, a build from before `start` existed.
    private static func needsInstall(_ code: Int32) -> Bool {
        [SkyletClient.outdatedExitCode, 127, 64].contains(code)
    }

    /// Streams a call that submits a job through a `JobReplyParser`.
    private func streamJob(
        _ args: [String], stdin: Data, expectStart: Bool,
        onStarted: @escaping @Sendable () -> Void,
        onSubmitted: @escaping @Sendable (Int) -> Void,
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> (parser: JobReplyParser, code: Int32) {
        let parser = Mutex(JobReplyParser(expectStart: expectStart))
        let code = try await runner.stream(Self.argv(args), stdin: stdin, environment: [:]) {
            line in
            switch parser.withLock({ $0.feed(line) }) {
            case .started: onStarted()
            case .submitted(let id): onSubmitted(id)
            case .log(let text): onLine(text)
            case .none: break
            }
        }
        return (parser.withLock { $0 }, code)
    }

    /// The id and final status of a followed job, or why there are none.
    private func followed(_ parser: JobReplyParser, code: Int32) throws -> (Int, JobStatus) {
        guard let jobID = parser.jobID else {
            throw JobsError.skylet(
                node: runner.nodeName, command: "submit the job",
                detail: parser.error ?? "exit code \(code)")
        }
        guard let status = parser.status else {
            throw JobsError.skylet(
                node: runner.nodeName, command: "stream the logs of job \(jobID)",
                detail: "exit code \(code)")
        }
        return (jobID, status)
    }

    /// The record the daemon left when autostop fired, or nil.
    package func autostopState() async throws -> (action: String, at: Double)? {
        let out = try await call(["autostop-state"], what: "report autostop")
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any],
            let action = object["action"] as? String
        else { return nil }
        return (action, (object["at"] as? NSNumber)?.doubleValue ?? 0)
    }

    package func setAutostop(idleMinutes: Int, down: Bool, waitFor: String) async throws {
        var args = ["set-autostop", "--idle-minutes", String(idleMinutes), "--wait-for", waitFor]
        if down { args.append("--down") }
        try await call(args, what: "set autostop")
    }

    /// Cancels every job (killing its processes) and stops the daemon.
    package func teardown() async throws {
        try await call(["teardown"], what: "stop its jobs")
    }
}
