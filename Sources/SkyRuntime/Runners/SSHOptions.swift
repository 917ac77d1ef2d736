import Foundation

/// How to reach one host with the system `ssh`: every option is explicit, nothing depends on
/// the user's ssh config except what it adds for hosts we do not set options for.
package struct SSHOptions: Sendable, Hashable, Codable {
    /// How unknown host keys are treated. Never "no": a changed key always fails.
    package enum HostKeyPolicy: String, Sendable, Hashable, Codable {
        /// The host key must already be in `knownHostsFiles`.
        case strict
        /// Trust on first use: an unknown key is recorded in the first known_hosts file; a
        /// changed key still fails.
        case acceptNew
    }

    package var host: String
    package var user: String?
    package var port: Int
    package var identityFile: String?
    /// `ssh -J` jump host(s), `[user@]host[:port]` comma separated.
    package var proxyJump: String?
    /// known_hosts files, chosen on purpose (first = where `acceptNew` records new keys).
    package var knownHostsFiles: [String]
    package var hostKeyPolicy: HostKeyPolicy
    /// Directory for ControlMaster sockets (`$SKY_HOME/ssh/cm`); nil = no multiplexing.
    package var controlDirectory: String?
    /// Seconds an idle master stays up.
    package var controlPersistSeconds: Int
    package var connectTimeoutSeconds: Int
    /// An ssh config file to read instead of the user's (`-F`); nil = the default ones.
    package var configFile: String?

    package init(
        host: String, user: String? = nil, port: Int = 22, identityFile: String? = nil,
        proxyJump: String? = nil, knownHostsFiles: [String] = [],
        hostKeyPolicy: HostKeyPolicy = .strict, controlDirectory: String? = nil,
        controlPersistSeconds: Int = 300, connectTimeoutSeconds: Int = 10,
        configFile: String? = nil
    ) {
        self.host = host
        self.user = user
        self.port = port
        self.identityFile = identityFile
        self.proxyJump = proxyJump
        self.knownHostsFiles = knownHostsFiles
        self.hostKeyPolicy = hostKeyPolicy
        self.controlDirectory = controlDirectory
        self.controlPersistSeconds = controlPersistSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.configFile = configFile
    }

    /// `user@host` or `host`.
    package var destination: String {
        if let user, !user.isEmpty { return "\(user)@\(host)" }
        return host
    }

    /// The control socket path: our own short hash of user, host and port (so we can test
    /// for the socket file), kept well under the 108-byte limit of unix socket paths.
    package var controlPath: String? {
        guard let controlDirectory else { return nil }
        return controlDirectory + "/" + Self.shortHash("\(user ?? "")@\(host):\(port)")
    }

    /// FNV-1a of `text` in hex: short file names derived from longer keys.
    package static func shortHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// Options shared by every ssh invocation (no destination, no command).
    /// `master`: the ControlMaster setting for this call (`no` for commands: they use an
    /// existing master's socket if there is one and connect directly otherwise).
    package func commonArguments(master: String = "no") -> [String] {
        var args: [String] = []
        if let configFile { args += ["-F", configFile] }
        args += [
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=\(connectTimeoutSeconds)",
            "-o", "ServerAliveInterval=5",
            "-o", "ServerAliveCountMax=3",
            "-o", "LogLevel=ERROR",
            "-p", String(port),
        ]
        if let identityFile {
            args += ["-i", identityFile, "-o", "IdentitiesOnly=yes"]
        }
        if !knownHostsFiles.isEmpty {
            args += [
                "-o",
                "UserKnownHostsFile=" + knownHostsFiles.map(quoteForConfig).joined(separator: " "),
            ]
        }
        args += [
            "-o",
            "StrictHostKeyChecking=" + (hostKeyPolicy == .strict ? "yes" : "accept-new"),
        ]
        if let proxyJump { args += ["-J", proxyJump] }
        if let controlPath {
            args += ["-o", "ControlMaster=\(master)", "-o", "ControlPath=\(controlPath)"]
            if master != "no" { args += ["-o", "ControlPersist=\(controlPersistSeconds)"] }
        }
        return args
    }

    /// ssh config values with spaces must be double-quoted.
    private func quoteForConfig(_ path: String) -> String {
        path.contains(" ") ? "\"\(path)\"" : path
    }
}
