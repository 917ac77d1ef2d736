import Foundation
import Logging
import SkyKubeAPI

/// Watches one kind (an informer), feeds its keys to a rate-limited work queue and runs
/// `workers` reconcile loops over it. Every `resync` all cached keys are queued again.
final class Controller<T: KubeResource>: Sendable {
    let informer: Informer<T>
    let reconciler: any Reconciler
    /// Backoff from 50 ms doubling up to a minute (a Secret created later is seen within one).
    let queue = WorkQueue<ObjectKey>(baseDelay: .milliseconds(50), maxDelay: .seconds(60))
    let workers: Int
    let resync: Duration
    let metrics: OperatorMetrics
    let logger: Logger
    /// Called for every change seen by the informer (to wake other controllers).
    let onChange: @Sendable (Informer<T>.Change) async -> Void

    init(
        informer: Informer<T>, reconciler: any Reconciler, workers: Int, resync: Duration,
        metrics: OperatorMetrics, logger: Logger,
        onChange: @escaping @Sendable (Informer<T>.Change) async -> Void = { _ in }
    ) {
        self.informer = informer
        self.reconciler = reconciler
        self.workers = workers
        self.resync = resync
        self.metrics = metrics
        self.logger = logger
        self.onChange = onChange
    }

    func enqueue(_ key: ObjectKey) async {
        await queue.add(key)
    }

    /// Runs until the surrounding task is cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.informer.run { change in
                    switch change {
                    case .upserted(let object), .deleted(let object):
                        await self.queue.add(ObjectKey(object))
                    }
                    await self.onChange(change)
                }
            }
            for _ in 0..<workers {
                group.addTask { await self.work() }
            }
            group.addTask { await self.resyncLoop() }
            await withTaskCancellationHandler {
                await group.waitForAll()
            } onCancel: {
                _Concurrency.Task { await self.queue.shutDown() }
            }
        }
    }

    private func work() async {
        while let key = await queue.next() {
            let start = ContinuousClock.now
            var failed = false
            do {
                switch try await reconciler.reconcile(key) {
                case .done:
                    await queue.forget(key)
                case .requeue(let delay):
                    await queue.forget(key)
                    await queue.add(key, after: delay)
                case .backoff:
                    await queue.addRateLimited(key)
                }
            } catch is CancellationError {
                await queue.done(key)
                return
            } catch {
                failed = true
                let attempts = await queue.failureCount(key)
                logger.warning(
                    "reconcile failed; retrying with backoff",
                    metadata: [
                        "kind": "\(reconciler.kind)", "key": "\(key)", "attempt": "\(attempts + 1)",
                        "error": "\(error)",
                    ])
                await queue.addRateLimited(key)
            }
            let elapsed = ContinuousClock.now - start
            logger.debug(
                "reconciled",
                metadata: [
                    "kind": "\(reconciler.kind)", "key": "\(key)",
                    "ms": "\(Int(elapsed.seconds * 1000))", "failed": "\(failed)",
                ])
            metrics.reconciled(reconciler.kind, seconds: elapsed.seconds, failed: failed)
            await queue.done(key)
            metrics.setQueueDepth(reconciler.kind, await queue.depth)
        }
    }

    private func resyncLoop() async {
        while !_Concurrency.Task.isCancelled {
            do {
                try await _Concurrency.Task.sleep(for: resync)
            } catch {
                return
            }
            for object in informer.objects { await queue.add(ObjectKey(object)) }
        }
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
