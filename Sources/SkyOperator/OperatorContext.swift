import Foundation
import Logging
import SkyEngine
import SkyKubeAPI
import Synchronization

/// What the reconcilers share: the API client, the engine, the informers' caches, the
/// background work and the event recorder.
struct OperatorContext: Sendable {
    let kube: KubeClient
    let engine: SkyEngine
    /// The engine's cluster records (one connection kept open, one query per database change:
    /// an idle reconcile reads its cluster's record; a query per reconcile cost more than the
    /// rest of it).
    let state: StateCache
    let clusters: Informer<SkyCluster>
    let jobs: Informer<SkyJob>
    let services: Informer<SkyService>
    let events: EventRecorder
    let metrics: OperatorMetrics
    let logger: Logger
    let launches = BackgroundWork<LaunchOutcome>()
    let followers = BackgroundWork<FollowOutcome>()
    let specHashes = SpecHashes()
    let submissions = Submissions()
    /// Wakes a SkyCluster / SkyJob reconcile (set once the controllers exist).
    let wake: Wake

    var taskSource: TaskSource { TaskSource(kube: kube) }

    enum LaunchOutcome: Sendable {
        case succeeded(specHash: String)
        case failed(message: String, specHash: String)
    }

    struct FollowOutcome: Sendable {
        var error: String?
    }

    /// Late-bound enqueue functions (the controllers are made after the context).
    final class Wake: Sendable {
        private let handlers = Mutex<
            (
                cluster: (@Sendable (ObjectKey) async -> Void)?,
                job: (@Sendable (ObjectKey) async -> Void)?
            )
        >((nil, nil))
        func set(
            cluster: @escaping @Sendable (ObjectKey) async -> Void,
            job: @escaping @Sendable (ObjectKey) async -> Void
        ) {
            handlers.withLock { $0 = (cluster, job) }
        }
        func cluster(_ key: ObjectKey) async { await handlers.withLock { $0.cluster }?(key) }
        func job(_ key: ObjectKey) async { await handlers.withLock { $0.job }?(key) }
    }
}
