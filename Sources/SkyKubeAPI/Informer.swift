import Foundation
import Synchronization

/// List, then watch from the list's resourceVersion, forever: the watch resumes from the
/// last seen resourceVersion (bookmarks included) when the server ends it, and a 410 Expired
/// answer relists. Keeps a cache of the objects; each change is handed to `onChange` with the
/// object's key (namespace/name). Objects gone while the watch was down are reported as
/// deletions after the relist.
package final class Informer<T: KubeResource>: Sendable {
    package struct Key: Hashable, Sendable, CustomStringConvertible {
        package var namespace: String
        package var name: String
        package init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }
        package var description: String { "\(namespace)/\(name)" }
    }

    package enum Change: Sendable {
        case upserted(T)
        case deleted(T)
    }

    let client: KubeClient
    let namespace: String?
    let labelSelector: LabelSelector
    let watchTimeoutSeconds: Int
    /// Resume from here instead of listing first (a saved resourceVersion); a 410 relists.
    let initialResourceVersion: String?
    private let cache = Mutex<[Key: T]>([:])
    private let counters = Mutex<(lists: Int, expired: Int, lastVersion: String?)>((0, 0, nil))
    private let synced = Mutex(false)

    package init(
        client: KubeClient, namespace: String?, labelSelector: LabelSelector = LabelSelector(),
        watchTimeoutSeconds: Int = 300, initialResourceVersion: String? = nil
    ) {
        self.initialResourceVersion = initialResourceVersion
        self.client = client
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.watchTimeoutSeconds = watchTimeoutSeconds
    }

    package static func key(of object: T) -> Key {
        Key(namespace: object.metadata.namespace ?? "", name: object.metadata.name ?? "")
    }

    /// Every cached object.
    package var objects: [T] { cache.withLock { Array($0.values) } }

    package func object(_ key: Key) -> T? { cache.withLock { $0[key] } }

    /// How many full lists were made, and how many of them followed a 410.
    package var listCount: Int { counters.withLock { $0.lists } }
    package var expiredCount: Int { counters.withLock { $0.expired } }
    package var lastResourceVersion: String? { counters.withLock { $0.lastVersion } }
    /// True once the first list is in the cache.
    package var hasSynced: Bool { synced.withLock { $0 } }

    /// Runs until cancelled. Transport errors are retried with a growing delay (capped).
    package func run(onChange: @escaping @Sendable (Change) async -> Void) async {
        var version = initialResourceVersion
        var delay = Duration.milliseconds(200)
        while !_Concurrency.Task.isCancelled {
            do {
                if version == nil {
                    version = try await relist(onChange: onChange)
                }
                let stream = client.watch(
                    T.self, namespace: namespace, labelSelector: labelSelector,
                    resourceVersion: version,
                    timeoutSeconds: watchTimeoutSeconds)
                for try await event in stream {
                    if let newVersion = event.resourceVersion, !newVersion.isEmpty {
                        version = newVersion
                    }
                    counters.withLock { $0.lastVersion = version }
                    switch event {
                    case .added(let object), .modified(let object):
                        cache.withLock { $0[Self.key(of: object)] = object }
                        await onChange(.upserted(object))
                    case .deleted(let object):
                        _ = cache.withLock { $0.removeValue(forKey: Self.key(of: object)) }
                        await onChange(.deleted(object))
                    case .bookmark:
                        break
                    }
                }
                delay = .milliseconds(200)
            } catch let error as KubeError where error.isExpired {
                counters.withLock { $0.expired += 1 }
                version = nil
            } catch is CancellationError {
                return
            } catch {
                try? await _Concurrency.Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
    }

    /// Lists, replaces the cache, reports every object as upserted and the vanished ones as
    /// deleted; returns the list's resourceVersion.
    private func relist(onChange: @escaping @Sendable (Change) async -> Void) async throws
        -> String?
    {
        let list = try await client.list(T.self, namespace: namespace, labelSelector: labelSelector)
        var fresh: [Key: T] = [:]
        for item in list.items { fresh[Self.key(of: item)] = item }
        let gone = cache.withLock { current -> [T] in
            let vanished = current.filter { fresh[$0.key] == nil }.map(\.value)
            current = fresh
            return vanished
        }
        counters.withLock {
            $0.lists += 1
            $0.lastVersion = list.metadata.resourceVersion
        }
        synced.withLock { $0 = true }
        for object in gone { await onChange(.deleted(object)) }
        for item in list.items { await onChange(.upserted(item)) }
        return list.metadata.resourceVersion
    }
}
