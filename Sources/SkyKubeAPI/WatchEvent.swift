import Foundation

/// One event of a watch stream.
package enum WatchEvent<T: KubeResource>: Sendable {
    case added(T)
    case modified(T)
    case deleted(T)
    /// The server's progress mark (`allowWatchBookmarks`): resume from here.
    case bookmark(resourceVersion: String)

    package var object: T? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object
        case .bookmark: nil
        }
    }

    package var resourceVersion: String? {
        switch self {
        case .bookmark(let version): version
        default: object?.metadata.resourceVersion
        }
    }

    struct Header: Decodable {
        var type: String
    }

    struct Bookmark: Decodable {
        var object: Object
        struct Object: Decodable {
            var metadata: ListMeta
        }
    }

    struct Typed: Decodable {
        var object: T
    }

    struct Failure: Decodable {
        var object: KubeStatus
    }

    /// Decodes one line of a watch stream; an `ERROR` event throws its Status (410 Expired
    /// when the resourceVersion is too old).
    static func decode(line: Data) throws -> WatchEvent<T> {
        let decoder = JSONDecoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: line)
        } catch {
            throw KubeError.decoding(what: "a watch event", detail: "\(error)")
        }
        do {
            switch header.type {
            case "ADDED": return .added(try decoder.decode(Typed.self, from: line).object)
            case "MODIFIED": return .modified(try decoder.decode(Typed.self, from: line).object)
            case "DELETED": return .deleted(try decoder.decode(Typed.self, from: line).object)
            case "BOOKMARK":
                let mark = try decoder.decode(Bookmark.self, from: line)
                return .bookmark(resourceVersion: mark.object.metadata.resourceVersion ?? "")
            case "ERROR":
                let failure = try decoder.decode(Failure.self, from: line)
                throw KubeError.api(failure.object)
            default:
                throw KubeError.decoding(
                    what: "a watch event", detail: "unknown type \(header.type)")
            }
        } catch let error as KubeError {
            throw error
        } catch {
            throw KubeError.decoding(
                what: "a \(header.type) watch event of \(T.resourceType)", detail: "\(error)")
        }
    }
}
