/// A label selector (`a=b,c!=d,e in (x,y),!f,g`) built from requirements, rendered for
/// `?labelSelector=`.
package struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    package enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case `in`(String, [String])
        case notIn(String, [String])
        case exists(String)
        case doesNotExist(String)
    }

    package var requirements: [Requirement]

    package init(_ requirements: [Requirement] = []) {
        self.requirements = requirements
    }

    /// `matchLabels`-style equality on every pair.
    package init(matching labels: [String: String]) {
        requirements = labels.keys.sorted().map { .equals($0, labels[$0] ?? "") }
    }

    package var isEmpty: Bool { requirements.isEmpty }

    package var description: String {
        requirements.map { requirement in
            switch requirement {
            case .equals(let key, let value): "\(key)=\(value)"
            case .notEquals(let key, let value): "\(key)!=\(value)"
            case .in(let key, let values): "\(key) in (\(values.joined(separator: ",")))"
            case .notIn(let key, let values): "\(key) notin (\(values.joined(separator: ",")))"
            case .exists(let key): key
            case .doesNotExist(let key): "!\(key)"
            }
        }.joined(separator: ",")
    }

    /// Whether `labels` satisfy every requirement (the same rules as the API server).
    package func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .in(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): !(labels[key].map(values.contains) ?? false)
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            }
        }
    }
}
