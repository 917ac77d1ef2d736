import Foundation
import Yams

/// A 1-based line and column in a YAML file.
public struct SourceMark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// One YAML document as PyYAML's `SafeLoader` would build it, plus where each value came from.
struct YAMLDocument: Sendable {
    var value: PyValue
    /// Field path (`resources.any_of[1].cpus`) -> position of the value.
    var marks: [String: SourceMark]
    /// Field path -> position of the mapping key naming it.
    var keyMarks: [String: SourceMark]

    /// The best position for `path`: the value, else the key, else the nearest ancestor.
    func mark(for path: String, preferKey: Bool = false) -> SourceMark? {
        var p = path
        while true {
            if preferKey, let m = keyMarks[p] { return m }
            if let m = marks[p] { return m }
            if let m = keyMarks[p] { return m }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else {
                return marks[""]
            }
            p = String(p[..<cut])
        }
    }
}

struct YAMLReadError: Error {
    var message: String
    var mark: SourceMark?
}

/// Reads YAML text the way SkyPilot does: libyaml (through Yams) for the syntax, PyYAML's
/// YAML 1.1 resolution and constructors for the values, a duplicate-key check on raw keys.
enum YAMLReader {
    static func readAll(_ text: String) throws(YAMLReadError) -> [YAMLDocument] {
        var roots: [Node] = []
        do {
            // Tags stay unresolved (PyYAML's YAML 1.1 rules are applied by `Builder`), so the
            // empty resolver: `.default` compiles seven regular expressions at first use.
            let parser = try Parser(yaml: text, resolver: .basic)
            while let root = try parser.nextRoot() { roots.append(root) }
        } catch let error as YamlError {
            throw convert(error, text: text)
        } catch {
            throw YAMLReadError(message: "\(error)", mark: nil)
        }
        for root in roots { try checkDuplicates(root) }
        var docs: [YAMLDocument] = []
        for root in roots {
            var builder = Builder(text: text)
            let value = try builder.construct(root, path: "")
            docs.append(
                YAMLDocument(value: value, marks: builder.marks, keyMarks: builder.keyMarks))
        }
        return docs
    }

    static func mark(_ m: Mark?) -> SourceMark? {
        m.map { SourceMark(line: $0.line, column: $0.column) }
    }

    private static func convert(_ error: YamlError, text: String) -> YAMLReadError {
        switch error {
        case .scanner(let context, let problem, let m, _),
            .parser(let context, let problem, let m, _),
            .composer(let context, let problem, let m, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return YAMLReadError(message: "invalid YAML: \(prefix)\(problem)", mark: mark(m))
        case .reader(let problem, _, _, _):
            return YAMLReadError(message: "invalid YAML: \(problem)", mark: nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            let second = secondOccurrence(of: key, after: first, in: text)
            return YAMLReadError(
                message:
                    "duplicate key \(PyNumber.reprString(key)) (also defined at line \(first.line)); remove one of the entries",
                mark: second ?? mark(first))
        default:
            return YAMLReadError(message: "invalid YAML: \(error)", mark: nil)
        }
    }

    /// Where a block-mapping key appears again at the same column after `first` (Yams reports
    /// only the first occurrence of a duplicated key).
    private static func secondOccurrence(of key: String, after first: Mark, in text: String)
        -> SourceMark?
    {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let indent = first.column - 1
        for index in first.line..<lines.count {
            let line = Array(lines[index].unicodeScalars)
            guard line.count > indent else { continue }
            let rest = String(String.UnicodeScalarView(line[indent...]))
            for spelling in [key, "'\(key)'", "\"\(key)\""] where rest.hasPrefix(spelling + ":") {
                return SourceMark(line: index + 1, column: first.column)
            }
        }
        return nil
    }

    /// `yaml_utils.check_no_duplicate_keys`: raw scalar key text must be unique per mapping.
    private static func checkDuplicates(_ node: Node) throws(YAMLReadError) {
        switch node {
        case .mapping(let mapping):
            var seen: [String: Int] = [:]
            for (key, value) in mapping {
                if case .scalar(let scalar) = key {
                    let line = scalar.mark?.line ?? 0
                    if let previous = seen[scalar.string] {
                        throw YAMLReadError(
                            message: "duplicate key \(PyNumber.reprString(scalar.string)) "
                                + "(also defined at line \(previous)); remove one of the entries",
                            mark: mark(scalar.mark))
                    }
                    seen[scalar.string] = line
                }
                try checkDuplicates(value)
            }
        case .sequence(let seq):
            for child in seq { try checkDuplicates(child) }
        default:
            break
        }
    }

    static func childPath(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    private struct Builder {
        let text: String
        var marks: [String: SourceMark] = [:]
        var keyMarks: [String: SourceMark] = [:]
        /// The text's lines (split on LF only, as libyaml counts them), built on first use.
        private var lines: [Substring.UnicodeScalarView]?

        init(text: String) {
            self.text = text
        }

        /// The tag of a mapping key as written. Yams' duplicate-key check hashes every key,
        /// which resolves its implicit tag with the parser's resolver; with the rule-less
        /// `.basic` resolver a plain key then reads `str`. A key is only really `!!str` when
        /// its text starts with a tag (`!`), else it is implicit ("") and PyYAML's rules apply.
        mutating func keyTag(_ scalar: Node.Scalar) -> String {
            let tag = scalar.tag.rawValue
            guard tag == Tag.Name.str.rawValue, scalar.style == .plain, let mark = scalar.mark
            else { return tag }
            if lines == nil {
                lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            }
            guard let lines, mark.line >= 1, mark.line <= lines.count else { return tag }
            let explicit = lines[mark.line - 1].dropFirst(max(mark.column - 1, 0)).first == "!"
            return explicit ? tag : ""
        }

        mutating func construct(_ node: Node, path: String) throws(YAMLReadError) -> PyValue {
            switch node {
            case .scalar(let scalar):
                marks[path] = YAMLReader.mark(scalar.mark)
                return try Self.scalarValue(scalar)
            case .sequence(let seq):
                marks[path] = YAMLReader.mark(seq.mark)
                let tag = seq.tag.rawValue
                guard tag.isEmpty || tag == "!" || tag == Tag.Name.seq.rawValue else {
                    throw Self.unknownTag(tag, seq.mark)
                }
                var items: [PyValue] = []
                for (i, child) in seq.enumerated() {
                    items.append(try construct(child, path: "\(path)[\(i)]"))
                }
                return .list(items)
            case .mapping(let mapping):
                marks[path] = YAMLReader.mark(mapping.mark)
                return try constructMapping(mapping, path: path)
            case .alias(let alias):
                throw YAMLReadError(
                    message: "found undefined alias", mark: YAMLReader.mark(alias.mark))
            }
        }

        mutating func constructMapping(_ mapping: Node.Mapping, path: String) throws(YAMLReadError)
            -> PyValue
        {
            let tag = mapping.tag.rawValue
            let pairs = try flatten(Array(mapping).map { ($0.key, $0.value) }, mark: mapping.mark)
            var result: [(PyValue, PyValue)] = []
            var index: [PyValue: Int] = [:]
            for (keyNode, valueNode) in pairs {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw YAMLReadError(
                        message: "while constructing a mapping: found unhashable key",
                        mark: YAMLReader.mark(keyNode.mark))
                }
                var key: PyValue
                let keyTag = keyTag(keyScalar)
                if keyScalar.string == "=", keyScalar.style == .plain, keyTag.isEmpty {
                    key = .str("=")
                } else {
                    key = try Self.scalarValue(keyScalar, tag: keyTag)
                }
                if case .bytes = key {
                    key = .str(keyScalar.string)
                }
                let sub = YAMLReader.childPath(path, key.pyStr)
                keyMarks[sub] = YAMLReader.mark(keyScalar.mark)
                let value = try construct(valueNode, path: sub)
                if let existing = index[key] {
                    result[existing].1 = value
                } else {
                    index[key] = result.count
                    result.append((key, value))
                }
            }
            switch tag {
            case "", "!", Tag.Name.map.rawValue:
                return .dict(result)
            case "tag:yaml.org,2002:set":
                return .set(result.map(\.0))
            default:
                throw Self.unknownTag(tag, mapping.mark)
            }
        }

        /// `SafeConstructor.flatten_mapping`: `<<` merge keys.
        mutating func flatten(_ pairs: [(Node, Node)], mark: Mark?) throws(YAMLReadError) -> [(
            Node, Node
        )] {
            var merged: [(Node, Node)] = []
            var rest: [(Node, Node)] = []
            for (key, value) in pairs {
                if case .scalar(let k) = key, isMergeKey(k) {
                    switch value {
                    case .mapping(let m):
                        merged += try flatten(Array(m).map { ($0.key, $0.value) }, mark: m.mark)
                    case .sequence(let seq):
                        var subs: [[(Node, Node)]] = []
                        for sub in seq {
                            guard case .mapping(let m) = sub else {
                                throw YAMLReadError(
                                    message:
                                        "while constructing a mapping: expected a mapping for merging",
                                    mark: YAMLReader.mark(sub.mark))
                            }
                            subs.append(
                                try flatten(Array(m).map { ($0.key, $0.value) }, mark: m.mark))
                        }
                        for sub in subs.reversed() { merged += sub }
                    default:
                        throw YAMLReadError(
                            message:
                                "while constructing a mapping: expected a mapping or list of mappings for merging",
                            mark: YAMLReader.mark(value.mark))
                    }
                } else {
                    rest.append((key, value))
                }
            }
            return merged + rest
        }

        mutating func isMergeKey(_ s: Node.Scalar) -> Bool {
            let tag = keyTag(s)
            if tag == Tag.Name.merge.rawValue { return true }
            return tag.isEmpty && s.style == .plain && s.string == "<<"
        }

        static func unknownTag(_ tag: String, _ mark: Mark?) -> YAMLReadError {
            YAMLReadError(
                message:
                    "could not determine a constructor for the tag \(PyNumber.reprString(tag))",
                mark: YAMLReader.mark(mark))
        }

        static func scalarValue(_ scalar: Node.Scalar, tag: String? = nil) throws(YAMLReadError)
            -> PyValue
        {
            let text = scalar.string
            let tag = tag ?? scalar.tag.rawValue
            var bad: YAMLReadError {
                YAMLReadError(
                    message:
                        "cannot construct \(tag.isEmpty ? "a value" : tag) from \(PyNumber.reprString(text))",
                    mark: YAMLReader.mark(scalar.mark))
            }
            var kind: YAML11Scalar.Resolved
            switch tag {
            case "":
                kind = scalar.style == .plain ? YAML11Scalar.resolve(text) : .str
            case "!", Tag.Name.str.rawValue: kind = .str
            case Tag.Name.null.rawValue: return .none
            case Tag.Name.bool.rawValue: kind = .bool
            case Tag.Name.int.rawValue: kind = .int
            case Tag.Name.float.rawValue: kind = .float
            case "tag:yaml.org,2002:timestamp": kind = .timestamp
            case Tag.Name.binary.rawValue:
                return .bytes("b" + PyNumber.reprString(text.filter { !$0.isWhitespace }))
            default:
                throw unknownTag(tag, scalar.mark)
            }
            switch kind {
            case .null: return .none
            case .str: return .str(text)
            case .bool:
                guard let v = YAML11Scalar.constructBool(text) else { throw bad }
                return v
            case .int:
                guard let v = YAML11Scalar.constructInt(text) else { throw bad }
                return v
            case .float:
                guard let v = YAML11Scalar.constructFloat(text) else { throw bad }
                return v
            case .timestamp:
                guard let v = YAML11Scalar.timestampParts(text) else { throw bad }
                return .timestamp(v)
            case .merge: return .str(text)
            case .value: throw unknownTag("tag:yaml.org,2002:value", scalar.mark)
            }
        }
    }
}
