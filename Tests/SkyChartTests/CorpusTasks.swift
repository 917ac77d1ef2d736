import Foundation

/// SkyPilot task files from Tests/Fixtures/corpus that SkyPilot 0.14.1 itself parsed
/// (`expected/<name>.json`: `ok` and one document), minus those with inline `secrets:` values,
/// which a custom resource forbids by design (they come from Secrets through envFrom).
struct CorpusTasks {
    var accepted: [(name: String, yaml: String)] = []
    var inlineSecrets = 0

    static func load() throws -> CorpusTasks {
        let base = Repo.root + "/Tests/Fixtures/corpus"
        var result = CorpusTasks()
        for file in try FileManager.default.contentsOfDirectory(atPath: base + "/expected").sorted()
        where file.hasSuffix(".json") {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(base)/expected/\(file)"))
            guard let record = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                record["ok"] as? Bool == true, record["num_documents"] as? Int == 1
            else { continue }
            let stem = String(file.dropLast(".json".count))
            guard
                let yaml = try? String(
                    contentsOfFile: "\(base)/yamls/\(stem).yaml", encoding: .utf8)
            else { continue }
            if yaml.split(separator: "\n").contains(where: { $0.hasPrefix("secrets:") }) {
                result.inlineSecrets += 1
                continue
            }
            result.accepted.append((resourceName(stem), yaml))
        }
        return result
    }

    /// A DNS-1123 name from the file name (unique enough: the corpus names are distinct).
    private static func resourceName(_ stem: String) -> String {
        let mapped = stem.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        var name = String(String(mapped).suffix(60))
        while name.hasPrefix("-") { name.removeFirst() }
        return "t" + String(name.prefix(62))
    }
}
