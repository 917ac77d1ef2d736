import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One `sky-provisioner-<name>` file found on the search path.
public struct PluginCandidate: Sendable, Hashable {
    public var name: String
    public var path: String
    /// `SKY_PLUGIN_PATH`, `plugins dir` or `PATH`.
    public var source: String
    public var isExecutable: Bool
    /// Path of the earlier match that wins over this one, when shadowed.
    public var shadowedBy: String?
    /// The name is a built-in backend's: the file is never used.
    public var shadowsBuiltin: Bool

    /// Whether this file is the plugin `sky` uses for `name`.
    public var isActive: Bool { isExecutable && shadowedBy == nil && !shadowsBuiltin }

    /// What is wrong with it, for `sky plugins list`; nil when active.
    public var problem: String? {
        if shadowsBuiltin { return "'\(name)' is a built-in backend; the plugin is ignored" }
        if !isExecutable { return "not executable (run 'chmod +x \(path)')" }
        if let shadowedBy { return "shadowed by \(shadowedBy)" }
        return nil
    }
}

/// Finds provisioner plugins in, in order: `$SKY_PLUGIN_PATH` (colon-separated),
/// `<sky home>/plugins`, `$PATH`. The first executable file of a name wins.
public struct PluginDiscovery: Sendable {
    public var searchPath: [(directory: String, source: String)]
    public var builtins: Set<String>

    public init(environment: [String: String], skyHome: String, builtins: Set<String>) {
        var dirs: [(String, String)] = []
        for dir in (environment["SKY_PLUGIN_PATH"] ?? "").split(separator: ":") {
            dirs.append((String(dir), "SKY_PLUGIN_PATH"))
        }
        dirs.append((skyHome + "/plugins", "plugins dir"))
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            dirs.append((String(dir), "PATH"))
        }
        searchPath = dirs
        self.builtins = builtins
    }

    /// Every match, in search order, with shadowing resolved.
    public func scan() -> [PluginCandidate] {
        let fm = FileManager.default
        var out: [PluginCandidate] = []
        var seenDirs: Set<String> = []
        var winner: [String: String] = [:]
        for (dir, source) in searchPath {
            let resolved = (dir as NSString).standardizingPath
            guard seenDirs.insert(resolved).inserted,
                let entries = Self.entries(of: resolved, prefix: PluginWire.executablePrefix)
            else { continue }
            for entry in entries.sorted() {
                let name = String(entry.dropFirst(PluginWire.executablePrefix.count)).lowercased()
                guard !name.isEmpty, name.allSatisfy(Self.isNameCharacter) else { continue }
                let path = resolved + "/" + entry
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
                    continue
                }
                let executable = fm.isExecutableFile(atPath: path)
                var candidate = PluginCandidate(
                    name: name, path: path, source: source, isExecutable: executable,
                    shadowedBy: winner[name], shadowsBuiltin: builtins.contains(name))
                if executable, candidate.shadowedBy == nil, !candidate.shadowsBuiltin {
                    winner[name] = path
                }
                if !executable { candidate.shadowedBy = nil }
                out.append(candidate)
            }
        }
        return out
    }

    /// The plugins `sky` uses: one per name, built-in names excluded.
    public func active() -> [PluginCandidate] { scan().filter(\.isActive) }

    /// The names in `directory` that start with `prefix`, compared as C strings: `PATH`
    /// holds directories of thousands of entries, and every command looks for plugins.
    static func entries(of directory: String, prefix: String) -> [String]? {
        guard let dir = opendir(directory) else { return nil }
        defer { closedir(dir) }
        let length = prefix.utf8.count
        var out: [String] = []
        prefix.withCString { wanted in
            while let entry = readdir(dir) {
                withUnsafePointer(to: &entry.pointee.d_name) { raw in
                    raw.withMemoryRebound(to: CChar.self, capacity: 256) { name in
                        if strncmp(name, wanted, length) == 0 { out.append(String(cString: name)) }
                    }
                }
            }
        }
        return out
    }

    static func isNameCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "-" || c == "_"
    }
}
