import Synchronization

/// Job IDs this operator process submitted, per SkyJob (uid): a pass that reads an informer
/// copy older than its own status write (no `jobID` yet) reuses the ID instead of submitting
/// the task a second time. After a restart the queue lookup by the job's unique name does this.
final class Submissions: Sendable {
    private let ids = Mutex<[String: Int]>([:])

    func jobID(uid: String?) -> Int? {
        guard let uid else { return nil }
        return ids.withLock { $0[uid] }
    }

    func record(uid: String?, jobID: Int) {
        guard let uid else { return }
        ids.withLock { $0[uid] = jobID }
    }

    func forget(uid: String?) {
        guard let uid else { return }
        _ = ids.withLock { $0.removeValue(forKey: uid) }
    }
}
