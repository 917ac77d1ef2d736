import Foundation
import SkyRuntime

/// The key a cluster's head uses to reach its workers: `$SKY_HOME/keys/sky-key` (ed25519,
/// made once with ssh-keygen). Its public key is authorized on every node of a multi-node
/// SSH cluster; the private key is copied to the head as `~/.sky/keys/sky-key` (0600).
struct ClusterKey {
    let skyHome: String

    var privateKeyPath: String { skyHome + "/keys/sky-key" }
    var publicKeyPath: String { privateKeyPath + ".pub" }

    /// Creates the key pair if missing; returns the public key line.
    func ensure() async throws -> String {
        if !FileManager.default.fileExists(atPath: privateKeyPath) {
            try FileManager.default.createDirectory(
                atPath: skyHome + "/keys", withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let result = try await ProcessExecution.run([
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sky-cluster-key",
                "-f", privateKeyPath,
            ])
            guard result.exitCode == 0 else {
                throw EngineError.runtime(
                    cluster: "-", reason: "ssh-keygen failed: \(result.stderr)")
            }
        }
        return try String(contentsOfFile: publicKeyPath, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The lines of `knownHostsFile` for `host` (port 22 or `[host]:port`).
    static func knownHostLines(host: String, port: Int, knownHostsFile: String) async -> [String] {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        guard
            let result = try? await ProcessExecution.run([
                "ssh-keygen", "-F", name, "-f", knownHostsFile,
            ])
        else { return [] }
        return result.stdout.split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    /// Appends `publicKey` to `~/.ssh/authorized_keys` on the node unless present.
    static let authorizeScript = """
        umask 077; mkdir -p "$HOME/.ssh"; touch "$HOME/.ssh/authorized_keys"
        grep -qxF "$1" "$HOME/.ssh/authorized_keys" || printf '%s\\n' "$1" >> "$HOME/.ssh/authorized_keys"
        """

    /// On the head: authorizes the key, stores the private key (stdin, up to a line `--`)
    /// and the workers' known_hosts (rest of stdin).
    static let headScript = """
        umask 077; mkdir -p "$HOME/.ssh" "$HOME/.sky/keys" "$HOME/.sky/skylet"
        touch "$HOME/.ssh/authorized_keys"
        grep -qxF "$1" "$HOME/.ssh/authorized_keys" || printf '%s\\n' "$1" >> "$HOME/.ssh/authorized_keys"
        key="$HOME/.sky/keys/sky-key"; kh="$HOME/.sky/skylet/known_hosts"
        : > "$key"; : > "$kh"; target="$key"
        while IFS= read -r line; do
          if [ "$line" = "--" ]; then target="$kh"; continue; fi
          printf '%s\\n' "$line" >> "$target"
        done
        chmod 600 "$key"
        """
}
