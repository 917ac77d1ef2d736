import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The link to one login node of `~/.slurm/config`: an ssh ControlMaster to it, and the agent
/// there, so libslurm on the login node does the Slurm work. Nothing happens until the first
/// call. Then, when an earlier command left one, the agent kept running on the login node
/// (`sky-slurm-agent listen`) is reached through the master's forward of its unix socket to
/// one in the control directory: no ssh session or process starts. Otherwise: `ssh -G` (the
/// config's port), the master, and `sky-slurm-agent serve` as a plugin child (`PluginHost`)
/// whose stdin/stdout are an ssh channel, installed first when the login node does not have
/// this build (content-addressed name, rsync's atomic rename); that agent then starts the
/// listener and the master forwards its socket, for the next commands.
package actor SlurmAgentConnection {
    package nonisolated let alias: String
    package nonisolated let configFile: String
    let controlDirectory: String
    let agent: SlurmBinarySource
    let environment: [String: String]
    private var options: SSHOptions?
    private var host: PluginHost?
    private var connecting: _Concurrency.Task<Result<PluginHost, ProvisionError>, Never>?

    package init(
        alias: String, configFile: String, controlDirectory: String, agent: SlurmBinarySource,
        environment: [String: String]
    ) {
        self.alias = alias
        self.configFile = configFile
        self.controlDirectory = controlDirectory
        self.agent = agent
        self.environment = environment
    }

    /// Calls `method` on the agent (connecting first when needed).
    package func call(_ method: String, params: [(String, JSONValue)], deadline: Double)
        async throws(ProvisionError) -> JSONValue
    {
        let host = try await connected()
        do {
            return try await host.call(method, params: .object(params), deadline: deadline)
        } catch {
            throw failure(error)
        }
    }

    /// ssh to the login node's shell (commands, rsync), through the ControlMaster.
    package func loginRunner() async throws(ProvisionError) -> SSHRunner {
        let options = try await sshOptions()
        do {
            try await ControlMasters.shared.ensure(options, nodeName: alias)
        } catch {
            throw unreachable(error)
        }
        return SSHRunner(options: options, nodeName: alias)
    }

    /// The ssh options of the login node. `SSHOptions` always passes `-p`, so the port comes
    /// from the config (`ssh -G`); everything else (HostName, User, IdentityFile, ProxyJump,
    /// known hosts) ssh reads from the file itself.
    package func sshOptions() async throws(ProvisionError) -> SSHOptions {
        if let options { return options }
        let port = try await configuredPort()
        let resolved = SSHOptions(
            host: alias, port: port, hostKeyPolicy: .acceptNew,
            controlDirectory: controlDirectory, controlPersistSeconds: 600,
            connectTimeoutSeconds: 10, configFile: configFile)
        options = resolved
        return resolved
    }

    /// The login node's port as `ssh -G` resolves it, kept in the control directory while the
    /// config file keeps its modification time and size (each command would run `ssh -G`).
    private func configuredPort() async throws(ProvisionError) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: configFile)
        let stamp = [
            configFile, alias,
            "\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)",
            "\((attributes?[.size] as? NSNumber)?.int64Value ?? -1)",
        ].joined(separator: "\n")
        let cache =
            controlDirectory + "/slurm-port-" + SSHOptions.shortHash(configFile + "\n" + alias)
        if let text = try? String(contentsOfFile: cache, encoding: .utf8),
            let newline = text.lastIndex(of: "\n"), String(text[..<newline]) == stamp,
            let port = Int(text[text.index(after: newline)...])
        {
            return port
        }
        let result: CommandResult
        do {
            result = try await ProcessExecution.run(["ssh", "-F", configFile, "-G", "--", alias])
        } catch {
            throw .credentials("Cannot run ssh to read \(configFile): \(error)")
        }
        guard result.exitCode == 0 else {
            throw .credentials(
                "ssh cannot use \(configFile) for '\(alias)': "
                    + result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var port = 22
        for line in result.stdout.split(separator: "\n") where line.hasPrefix("port ") {
            port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) ?? 22
        }
        try? FileManager.default.createDirectory(
            atPath: controlDirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try? (stamp + "\n\(port)").write(toFile: cache, atomically: true, encoding: .utf8)
        return port
    }

    /// Ends this process's agent session (`shutdown`: the agent over ssh exits, a listener
    /// keeps serving others until it idles out) and closes the ssh master, and with it the
    /// socket forward.
    package func close() async {
        await host?.shutdown()
        host = nil
        if let options = try? await sshOptions() { await ControlMasters.shared.close(options) }
    }

    /// Whether calls go to the agent kept running on the login node (through the forward).
    package var viaListener: Bool { host?.socketPath != nil }

    // MARK: Connecting

    private func connected() async throws(ProvisionError) -> PluginHost {
        if let host { return host }
        let task: _Concurrency.Task<Result<PluginHost, ProvisionError>, Never>
        if let connecting {
            task = connecting
        } else {
            task = _Concurrency.Task { await self.connect() }
            connecting = task
        }
        let result = await task.value
        connecting = nil
        let host = try result.get()
        self.host = host
        return host
    }

    private func connect() async -> Result<PluginHost, ProvisionError> {
        do throws(ProvisionError) {
            return .success(try await start())
        } catch {
            return .failure(error)
        }
    }

    private func start() async throws(ProvisionError) -> PluginHost {
        guard let (localAgent, hash) = try await agent.build() else {
            throw .internal(
                "The Slurm login-node agent \(agent.locate()) is missing: build it beside sky "
                    + "(swift build --product \(SlurmAgentWire.executableName)) or set "
                    + "SKY_SLURM_AGENT_BINARY.")
        }
        let name = SlurmAgentWire.remoteName(hash: hash)
        let local = localSocket(agentName: name).flatMap { refusedRecently($0) ? nil : $0 }
        if let local, let host = await listening(local) { return host }
        let host = try await startServing(localAgent, name: name)
        if let local { await keepListening(host, local: local) }
        return host
    }

    /// The forwarded socket of this build's listener on this login node, in the control
    /// directory (nil when the path would not fit a socket address).
    private func localSocket(agentName: String) -> String? {
        let path =
            controlDirectory + "/slurm-agent-"
            + SSHOptions.shortHash([configFile, alias, agentName].joined(separator: "\n")) + ".sock"
        return path.utf8.count <= UnixSocket.maxPathLength ? path : nil
    }

    /// The marker of a forward the login node refused (`AllowStreamLocalForwarding no`).
    static func refusalMarker(_ local: String) -> String { local + ".refused" }

    /// Whether the login node refused the forward within the last hour: commands go over ssh
    /// without trying it again.
    private func refusedRecently(_ local: String) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(
            atPath: Self.refusalMarker(local))
        guard let date = attributes?[.modificationDate] as? Date else { return false }
        return Date().timeIntervalSince(date) < 3600
    }

    /// The listening agent, when the socket answers the handshake (a forward whose master or
    /// listener is gone fails here, quickly).
    private func listening(_ local: String) async -> PluginHost? {
        guard FileManager.default.fileExists(atPath: local) else { return nil }
        let host = PluginHost(name: "slurm", socketPath: local)
        do {
            _ = try await host.handshake(deadline: 5)
            return host
        } catch {
            await host.shutdown()
            return nil
        }
    }

    /// Has `host` (an agent over ssh) start the listener, and the master forward its socket to
    /// `local`. Best effort: without them every command starts an agent over ssh, as this one.
    /// One sky process at a time sets a forward up (another would cancel it under this one's
    /// probe); one that finds it being set up, or already working, leaves it.
    private func keepListening(_ host: PluginHost, local: String) async {
        guard let options else { return }
        let lock = open(local + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { return }
        defer { Glibc.close(lock) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else { return }
        if let working = await listening(local) {
            await working.shutdown()
            return
        }
        do {
            let reply = try await host.call(
                SlurmAgentWire.listenMethod, params: .object([]), deadline: 10)
            guard let remote = reply["socket"]?.stringValue else { return }
            try await ControlMasters.shared.forward(options, local: local, remote: remote)
        } catch {
            unlink(local)
            return
        }
        // The master accepts any forward; the login node's sshd may still refuse to connect it.
        if let probe = await listening(local) {
            await probe.shutdown()
        } else {
            unlink(local)
            _ = FileManager.default.createFile(atPath: Self.refusalMarker(local), contents: nil)
        }
    }

    /// `sky-slurm-agent serve` over an ssh channel (installed first when needed).
    private func startServing(_ localAgent: String, name: String) async throws(ProvisionError)
        -> PluginHost
    {
        let runner = try await loginRunner()
        let remote = SlurmAgentWire.remoteDirectory + "/" + name
        // Status 127 without a word when this build is not there yet (it is installed then).
        let command =
            "[ -x \(ShellQuote.quote(remote)) ] || exit 127; exec "
            + ShellQuote.join([
                "env", "\(PluginWire.magicKey)=\(PluginWire.magicValue)",
                "SKY_PLUGIN_NAME=slurm", remote, SlurmAgentWire.serveArgument,
            ])
        // The plugin child is the ssh itself (a ChildProcess: its closing of inherited
        // descriptors holds up nothing else).
        let host = PluginHost(
            name: "slurm", path: "ssh",
            arguments: runner.options.commonArguments(master: "no")
                + ["-T", "--", runner.options.destination, command],
            environment: environment)
        do {
            _ = try await host.handshake(deadline: 30)
            return host
        } catch .crashed(let plugin, let path, let status, let tail) {
            // 127: this build is not on the login node yet (no such file). Any other early
            // exit: install only when the file is really missing.
            if status != 127 {
                let present = try? await runner.run(
                    ["test", "-x", remote], stdin: nil, environment: [:])
                if present?.exitCode == 0 {
                    throw failure(
                        .crashed(plugin: plugin, path: path, status: status, stderrTail: tail))
                }
            }
        } catch {
            throw failure(error)
        }
        try await install(localAgent, as: name, runner: runner)
        do {
            _ = try await host.handshake(deadline: 30)
        } catch {
            throw failure(error)
        }
        return host
    }

    /// Copies the agent to the login node under its content-addressed name (rsync writes a
    /// temporary file and renames it, so concurrent installs are safe) and removes builds
    /// installed more than a day ago (another sky version may still use a recent one).
    private func install(_ localAgent: String, as name: String, runner: SSHRunner)
        async throws(ProvisionError)
    {
        let target = SlurmAgentWire.remoteDirectory + "/" + name
        do {
            try await runner.upload(localAgent, to: target, filters: [])
            _ = try await runner.run(
                [
                    "find", SlurmAgentWire.remoteDirectory, "-maxdepth", "1", "-name",
                    SlurmAgentWire.executableName + "-*", "!", "-name", name, "-cmin", "+1440",
                    "-delete",
                ], stdin: nil, environment: [:])
        } catch {
            throw .internal("Cannot install the Slurm agent on the login node '\(alias)': \(error)")
        }
    }

    private func unreachable(_ error: any Error) -> ProvisionError {
        .credentials(
            "Cannot reach the Slurm login node '\(alias)' (\(configFile)) over ssh: \(error)")
    }

    private func failure(_ error: PluginError) -> ProvisionError {
        switch error {
        case .crashed(_, _, let status, let tail):
            return .internal(
                "The Slurm agent on the login node '\(alias)' exited"
                    + (status.map { " with status \($0)" } ?? "")
                    + (tail.isEmpty ? "." : ": \(tail)"))
        default:
            return error.provisionError
        }
    }
}
