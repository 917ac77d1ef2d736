import Foundation

/// A YAML value as PyYAML's `SafeLoader` builds it (YAML 1.1 semantics), kept with Python's
/// types so that SkyPilot's type checks, `str()` conversions and JSON output can be mirrored.
indirect enum PyValue: Sendable, Hashable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    /// `datetime.date` / `datetime.datetime`; the payload is Python's `str()` of it.
    case timestamp(String)
    /// `bytes` from `!!binary`; the payload is Python's `str()` of it.
    case bytes(String)
    case list([PyValue])
    /// A `dict` with keys in insertion order (keys are usually strings).
    case dict([(PyValue, PyValue)])
    /// A `set` (from `!!set`).
    case set([PyValue])

    static func == (lhs: PyValue, rhs: PyValue) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.int(let a), .float(let b)), (.float(let b), .int(let a)): return Double(a) == b
        case (.bool(let a), .int(let b)), (.int(let b), .bool(let a)): return (a ? 1 : 0) == b
        case (.str(let a), .str(let b)): return a == b
        case (.timestamp(let a), .timestamp(let b)): return a == b
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.list(let a), .list(let b)): return a == b
        case (.set(let a), .set(let b)): return Set(a) == Set(b)
        case (.dict(let a), .dict(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { key, value in b.first(where: { $0.0 == key })?.1 == value }
        default: return false
        }
    }

    func hash(into hasher: inout Hasher) {
        switch self {
        case .none: hasher.combine(0)
        case .bool(let b): hasher.combine(b ? 1.0 : 0.0)
        case .int(let i): hasher.combine(Double(i))
        case .float(let d): hasher.combine(d)
        case .str(let s), .timestamp(let s), .bytes(let s): hasher.combine(s)
        case .list(let a): hasher.combine(a)
        case .set(let a): hasher.combine(a.count)
        case .dict(let d): hasher.combine(d.count)
        }
    }

    /// Python's type name, as used in SkyPilot's error messages.
    var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .str: return "str"
        case .timestamp: return "datetime"
        case .bytes: return "bytes"
        case .list: return "list"
        case .dict: return "dict"
        case .set: return "set"
        }
    }

    var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    var string: String? {
        if case .str(let s) = self { return s }
        return nil
    }

    var dictItems: [(PyValue, PyValue)]? {
        if case .dict(let d) = self { return d }
        return nil
    }

    var listItems: [PyValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    /// Python truthiness.
    var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .str(let s), .timestamp(let s), .bytes(let s): return !s.isEmpty
        case .list(let l), .set(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        }
    }

    /// Value for a string key of a dict.
    subscript(key: String) -> PyValue? {
        guard case .dict(let d) = self else { return nil }
        return d.first(where: { $0.0 == .str(key) })?.1
    }

    /// Python's `str()`.
    var pyStr: String {
        switch self {
        case .str(let s), .timestamp(let s), .bytes(let s): return s
        default: return pyRepr
        }
    }

    /// Python's `repr()`.
    var pyRepr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return PyNumber.repr(d)
        case .str(let s): return PyNumber.reprString(s)
        case .timestamp(let s): return "datetime(\(s))"
        case .bytes(let s): return s
        case .list(let l): return "[" + l.map(\.pyRepr).joined(separator: ", ") + "]"
        case .set(let l): return "{" + l.map(\.pyRepr).joined(separator: ", ") + "}"
        case .dict(let d):
            return "{" + d.map { "\($0.0.pyRepr): \($0.1.pyRepr)" }.joined(separator: ", ") + "}"
        }
    }

    /// `json.loads(json.dumps(value, default=str))`, as the corpus records values.
    var json: JSONValue {
        switch self {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .str(let s), .timestamp(let s), .bytes(let s): return .string(s)
        case .list(let l): return .array(l.map(\.json))
        case .set(let l): return .string(PyValue.set(l).pyRepr)
        case .dict(let d): return .object(d.map { (PyValue.jsonKey($0.0), $0.1.json) })
        }
    }

    /// How `json.dumps` writes a dict key.
    static func jsonKey(_ key: PyValue) -> String {
        switch key {
        case .none: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .float(let d): return PyNumber.repr(d)
        default: return key.pyStr
        }
    }

    /// Converts JSON back into Python values.
    init(json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .float(d)
        case .string(let s): self = .str(s)
        case .array(let a): self = .list(a.map(PyValue.init(json:)))
        case .object(let o): self = .dict(o.map { (.str($0.0), PyValue(json: $0.1)) })
        }
    }
}
