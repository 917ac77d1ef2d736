import Foundation
import SkyCore

/// Paths and helpers for the SkyPilot corpus under `Tests/Fixtures/corpus`.
enum CorpusSupport {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/corpus")
    static let repoRoot: URL = root.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The SkyPilot examples corpus, or `edge` for the hand-written edge cases.
    static func base(_ set: String) -> URL {
        set == "edge" ? root.appendingPathComponent("edge") : root
    }

    static func yamlNames(set: String = "main") -> [String] {
        let dir = base(set).appendingPathComponent("yamls")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    static func expected(_ name: String, folder: String = "expected", set: String = "main")
        -> JSONValue?
    {
        let stem = (name as NSString).deletingPathExtension
        let url = base(set).appendingPathComponent(folder).appendingPathComponent(stem + ".json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONValue.parse(data)
    }

    static func yaml(_ name: String, set: String = "main") -> String {
        (try? String(
            contentsOf: base(set).appendingPathComponent("yamls").appendingPathComponent(name),
            encoding: .utf8)) ?? ""
    }

    /// Normalizes a recorded or produced task for comparison: no `_user_specified_yaml`, secret
    /// values blanked (compared by key), `any_of` lists sorted by canonical JSON.
    static func normalize(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let pairs):
            var out: [(String, JSONValue)] = []
            for (k, v) in pairs where k != "_user_specified_yaml" {
                if k == "secrets", case .object(let s) = v {
                    out.append((k, .object(s.map { ($0.0, .string("*")) })))
                } else if k == "any_of", case .array(let items) = v {
                    let sorted = items.map(normalize).sorted { $0.encoded() < $1.encoded() }
                    out.append((k, .array(sorted)))
                } else if k == "_docker_login_config", case .object(let d) = v {
                    out.append(
                        (k, .object(d.map { ($0.0, $0.0 == "password" ? .string("*") : $0.1) })))
                } else {
                    out.append((k, normalize(v)))
                }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map(normalize))
        default:
            return value
        }
    }

    /// The first path where two values differ, for readable failures.
    static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: String = "") -> String? {
        if a == b { return nil }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            let keys = Set(x.map(\.0)).union(y.map(\.0)).sorted()
            for k in keys {
                let av = a[k] ?? .string("<missing>")
                let bv = b[k] ?? .string("<missing>")
                if let d = firstDifference(av, bv, path: path + "." + k) { return d }
            }
        case (.array(let x), .array(let y)) where x.count == y.count:
            for (i, (u, v)) in zip(x, y).enumerated() {
                if let d = firstDifference(u, v, path: path + "[\(i)]") { return d }
            }
        default:
            break
        }
        return "\(path): got \(a.encoded()) expected \(b.encoded())"
    }
}

/// Instance shapes from the catalogs bundled with SkyCatalog (SkyPilot infers `memory` from
/// them when only `instance_type` is given).
struct CatalogShapes: InstanceShapeProvider {
    let table: [String: (Double?, Double?)]

    init() {
        var table: [String: (Double?, Double?)] = [:]
        let base = CorpusSupport.repoRoot.appendingPathComponent(
            "Sources/SkyCatalog/Resources/catalogs")
        for cloud in ["gcp", "lambda", "azure"] {
            guard
                let text = try? String(
                    contentsOf: base.appendingPathComponent("\(cloud)/vms.csv"), encoding: .utf8)
            else { continue }
            let lines = text.split(whereSeparator: \.isNewline)
            guard
                let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false)
                    .map(String.init),
                let it = header.firstIndex(of: "InstanceType"),
                let cpu = header.firstIndex(of: "vCPUs"),
                let mem = header.firstIndex(of: "MemoryGiB")
            else { continue }
            for line in lines.dropFirst() {
                let cols = line.split(separator: ",", omittingEmptySubsequences: false).map(
                    String.init)
                guard cols.count > max(it, cpu, mem), !cols[it].isEmpty else { continue }
                let key = "\(cloud)/\(cols[it])"
                if table[key] == nil { table[key] = (Double(cols[cpu]), Double(cols[mem])) }
            }
        }
        self.table = table
    }

    func shape(cloud: String, instanceType: String) -> (cpus: Double?, memoryGB: Double?)? {
        table["\(cloud)/\(instanceType)"].map { (cpus: $0.0, memoryGB: $0.1) }
    }
}
