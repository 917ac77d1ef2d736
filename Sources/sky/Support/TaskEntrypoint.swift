/// The `[YAML | CMD]` entrypoint of launch, exec, jobs launch: a path ending in `.yaml`/`.yml`
/// is a task file; anything else is an inline command (`sky launch -- nvidia-smi`).
enum TaskEntrypoint: Equatable, Sendable {
    case none
    case yaml(path: String)
    case command(String)

    init(_ words: [String]) {
        if words.isEmpty {
            self = .none
        } else if words.count == 1, let only = words.first, Self.isYAMLPath(only) {
            self = .yaml(path: only)
        } else {
            self = .command(words.joined(separator: " "))
        }
    }

    static func isYAMLPath(_ word: String) -> Bool {
        let lower = word.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }
}
