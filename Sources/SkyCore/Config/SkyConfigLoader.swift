import Foundation
import Synchronization

/// Finds and reads the config files the way SkyPilot's client does (`skypilot_config.py`):
/// - `$SKYPILOT_CONFIG` set: that file alone (it must exist), nothing else;
/// - otherwise the user config, `$SKYPILOT_GLOBAL_CONFIG` (or `$SKYPILOT_USER_CONFIG`, the
///   name SkyPilot's docs use) when set (it must exist), else `<home>/config.yaml`
///   (`$SKY_HOME`, default `~/.sky`), then the project config over it,
///   `$SKYPILOT_PROJECT_CONFIG` when set (it must exist), else `.sky.yaml` in the current
///   directory; a default path that does not exist is skipped.
///
/// Each file is read and parsed at most once per process (a cache keyed by path, size and
/// modification time: one `stat` per file on later calls), and only when a caller asks.
public enum SkyConfigLoader {
    public static let internalVariable = "SKYPILOT_CONFIG"
    public static let globalVariable = "SKYPILOT_GLOBAL_CONFIG"
    public static let userVariable = "SKYPILOT_USER_CONFIG"
    public static let projectVariable = "SKYPILOT_PROJECT_CONFIG"
    public static let projectFileName = ".sky.yaml"

    /// The config files in effect, lowest priority first (only files that exist).
    public static func paths(
        environment: [String: String], home: String, currentDirectory: String? = nil
    ) throws(SkyConfigError) -> [String] {
        if let path = try named(internalVariable, environment) { return [path] }
        var out: [String] = []
        var user = try named(globalVariable, environment)
        if user == nil { user = try named(userVariable, environment) }
        if let path = user {
            out.append(path)
        } else if exists(home + "/config.yaml") {
            out.append(home + "/config.yaml")
        }
        if let path = try named(projectVariable, environment) {
            out.append(path)
        } else {
            let directory = currentDirectory ?? FileManager.default.currentDirectoryPath
            let path = (directory.hasSuffix("/") ? directory : directory + "/") + projectFileName
            if exists(path), !out.contains(path) { out.append(path) }
        }
        return out
    }

    /// The layered user + project config (empty when there is no file).
    public static func load(
        environment: [String: String], home: String, currentDirectory: String? = nil
    ) throws(SkyConfigError) -> SkyConfig {
        var config = SkyConfig.empty
        for path in try paths(
            environment: environment, home: home, currentDirectory: currentDirectory)
        {
            config = config.overlaid(try file(path))
        }
        return config
    }

    /// One file, parsed and validated (cached).
    public static func file(_ path: String) throws(SkyConfigError) -> SkyConfig {
        let stamp = Stamp(path)
        if let hit = cache.withLock({ $0[path] }), hit.stamp == stamp {
            return try hit.result.get()
        }
        let result: Result<SkyConfig, SkyConfigError>
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            result = Result { () throws(SkyConfigError) in try SkyConfig.parse(text, source: path) }
        } catch {
            result = .failure(.unreadable(file: path, detail: error.localizedDescription))
        }
        cache.withLock { $0[path] = Entry(stamp: stamp, result: result) }
        return try result.get()
    }

    /// The `--config` / `-w` values of this process's command line (set by the CLI before it
    /// builds the engine; parsed on first use, so a bad value is reported by the command that
    /// reads the config).
    public static func setCommandLine(_ values: [String], workspace: String?) {
        commandLine.withLock { $0 = values.isEmpty && workspace == nil ? nil : (values, workspace) }
    }

    /// The command-line layer (empty when none was set).
    public static func commandLineLayer(environment: [String: String]) throws(SkyConfigError)
        -> SkyConfig
    {
        guard let (values, workspace) = commandLine.withLock({ $0 }) else { return .empty }
        return try SkyConfig.commandLine(values, workspace: workspace, environment: environment)
    }

    // MARK: Private

    private static let commandLine = Mutex<(values: [String], workspace: String?)?>(nil)

    private struct Entry: Sendable {
        var stamp: Stamp
        var result: Result<SkyConfig, SkyConfigError>
    }

    /// What tells a changed file apart: size and modification time.
    private struct Stamp: Sendable, Equatable {
        var size: Int64
        var seconds: Int
        var nanoseconds: Int

        init(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else {
                self.size = -1
                self.seconds = 0
                self.nanoseconds = 0
                return
            }
            self.size = Int64(info.st_size)
            #if canImport(Darwin)
                self.seconds = Int(info.st_mtimespec.tv_sec)
                self.nanoseconds = Int(info.st_mtimespec.tv_nsec)
            #else
                self.seconds = Int(info.st_mtim.tv_sec)
                self.nanoseconds = Int(info.st_mtim.tv_nsec)
            #endif
        }
    }

    private static let cache = Mutex<[String: Entry]>([:])

    private static func named(_ variable: String, _ environment: [String: String])
        throws(SkyConfigError) -> String?
    {
        guard let raw = environment[variable], !raw.isEmpty else { return nil }
        let path = expandTilde(raw, home: environment["HOME"])
        guard exists(path) else { throw .missingFile(variable: variable, path: path) }
        return path
    }

    static func expandTilde(_ path: String, home: String?) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return (home ?? NSHomeDirectory()) + path.dropFirst()
    }

    private static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }
}
