import Foundation
import SkyCore
import Synchronization
import Yams

/// The `slurm:` section of `~/.sky/config.yaml`, read on first use (never when the backend is
/// constructed, so registering it costs no I/O) and kept for the life of the process.
package final class SlurmConfigFile: Sendable {
    package let path: String?
    private let cache: Mutex<Result<SlurmSettings, SlurmError>?>
    /// The `slurm:` section as written (sent to the login node's agent, which parses it the
    /// same way); nil when the file has none.
    private let rawSection: Mutex<JSONValue??>

    /// `path` nil: fixed default settings.
    package init(path: String?) {
        self.path = path
        cache = Mutex(nil)
        rawSection = Mutex(nil)
    }

    package init(settings: SlurmSettings) {
        path = nil
        cache = Mutex(.success(settings))
        rawSection = Mutex(.some(nil))
    }

    /// The `slurm:` section as JSON (nil when absent or when the settings were given directly).
    package func section() -> JSONValue? {
        rawSection.withLock { cached in
            if let cached { return cached }
            let loaded = Self.rawSection(path)
            cached = .some(loaded)
            return loaded
        }
    }

    private static func rawSection(_ path: String?) -> JSONValue? {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8),
            let root = (try? Yams.load(yaml: text)) as? [String: Any], let section = root["slurm"]
        else { return nil }
        return json(section)
    }

    /// The settings, or why the file's `slurm:` section is invalid.
    package func load() throws(SlurmError) -> SlurmSettings {
        let result = cache.withLock { cached in
            if let cached { return cached }
            let loaded = Self.read(path)
            cached = loaded
            return loaded
        }
        return try result.get()
    }

    private static func read(_ path: String?) -> Result<SlurmSettings, SlurmError> {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .success(SlurmSettings())
        }
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch {
            return .failure(.invalidRequest("\(path) is not valid YAML: \(error)"))
        }
        guard let object = root as? [String: Any], let section = object["slurm"] else {
            return .success(SlurmSettings())
        }
        do {
            return .success(try SlurmSettings(config: json(section)))
        } catch {
            return .failure(.invalidRequest("\(path): \(error.description)"))
        }
    }

    /// A value Yams loaded, as JSON.
    static func json(_ value: Any?) -> JSONValue {
        switch value {
        case let b as Bool: .bool(b)
        case let i as Int: .int(i)
        case let d as Double: .double(d)
        case let s as String: .string(s)
        case let a as [Any]: .array(a.map { json($0) })
        case let o as [String: Any]:
            .object(o.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) })
        default: .null
        }
    }
}
