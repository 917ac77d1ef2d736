/// A YAML mapping with string keys in file order, remembering each key's field path (so errors
/// in merged `any_of` candidates point at the line that supplied the value).
struct FieldMap: Sendable {
    struct Entry: Sendable {
        var key: String
        var value: PyValue
        var path: String
    }

    var entries: [Entry]

    init() { entries = [] }

    /// From a dict value; keys become `str(key)`.
    init(_ value: PyValue, path: String) {
        entries = (value.dictItems ?? []).map {
            Entry(key: $0.0.pyStr, value: $0.1, path: YAMLReader.childPath(path, $0.0.pyStr))
        }
    }

    subscript(key: String) -> PyValue? {
        entries.first(where: { $0.key == key })?.value
    }

    func contains(_ key: String) -> Bool { entries.contains { $0.key == key } }

    func path(_ key: String, default base: String) -> String {
        entries.first(where: { $0.key == key })?.path ?? YAMLReader.childPath(base, key)
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Python `d[key] = value` (keeps the position of an existing key).
    mutating func set(_ key: String, _ value: PyValue, path: String) {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].value = value
            entries[i].path = path
        } else {
            entries.append(Entry(key: key, value: value, path: path))
        }
    }

    @discardableResult
    mutating func remove(_ key: String) -> Entry? {
        guard let i = entries.firstIndex(where: { $0.key == key }) else { return nil }
        return entries.remove(at: i)
    }

    /// The mapping as a Python dict (string keys).
    var value: PyValue { .dict(entries.map { (.str($0.key), $0.value) }) }

    /// Without top-level None values (`validate_schema(skip_none=True)`).
    var withoutNone: PyValue {
        .dict(entries.filter { !$0.value.isNone }.map { (.str($0.key), $0.value) })
    }
}
