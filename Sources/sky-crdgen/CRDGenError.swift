/// Why `sky-crdgen` could not generate or check the CRDs.
enum CRDGenError: Error, CustomStringConvertible {
    case unreadable(String)
    case missingSchema(String)
    case badArguments(String)

    var description: String {
        switch self {
        case .unreadable(let path):
            return "cannot read \(path): run sky-crdgen from the repository root or pass --root DIR"
        case .missingSchema(let what):
            return
                "SkyCore's embedded schema has no \(what): Sources/SkyCore/Schema/TaskSchemaData.swift changed shape"
        case .badArguments(let text):
            return "\(text)\nusage: sky-crdgen [--root DIR] [--check]"
        }
    }
}
