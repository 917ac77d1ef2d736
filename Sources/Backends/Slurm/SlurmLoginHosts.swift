import Foundation

/// The Slurm clusters of `~/.slurm/config` (ssh_config syntax, reference 6.3): every `Host`
/// entry without wildcards is one cluster, reached through that login node; its alias is the
/// cluster's name in Sky (`infra: slurm/<alias>`). Everything else in the file (HostName,
/// User, IdentityFile, Port, ProxyJump, ProxyCommand, ...) is for `ssh -F` to apply.
package struct SlurmLoginHosts: Sendable, Hashable {
    /// The config file (`~/.slurm/config`).
    package let path: String
    /// Host aliases in file order.
    package let aliases: [String]

    package init(path: String, aliases: [String]) {
        self.path = path
        self.aliases = aliases
    }

    /// `~/.slurm/config` under `userHome`.
    package static func defaultPath(userHome: String) -> String {
        userHome + "/.slurm/config"
    }

    /// Reads the file; a missing file gives no hosts.
    package static func load(path: String) throws(SlurmError) -> SlurmLoginHosts {
        guard FileManager.default.fileExists(atPath: path) else {
            return SlurmLoginHosts(path: path, aliases: [])
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .invalidRequest("Cannot read \(path); check its permissions.")
        }
        return SlurmLoginHosts(path: path, aliases: parse(text))
    }

    /// `Host` aliases (keyword case-insensitive, `Host=a b` form too), without patterns
    /// (`*`, `?`, `!`) and duplicates.
    package static func parse(_ text: String) -> [String] {
        var out: [String] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" })
                .map(String.init)
            guard let keyword = words.first, keyword.lowercased() == "host" else { continue }
            for word in words.dropFirst() {
                let alias = word.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                guard !alias.isEmpty, !alias.contains(where: { "*?!".contains($0) }),
                    !out.contains(alias)
                else { continue }
                out.append(alias)
            }
        }
        return out
    }
}
