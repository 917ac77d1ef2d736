import Foundation

extension Date {
    /// The date as the store gives it back: seconds since 1970, rounded to the microsecond.
    /// A record returned by a write then equals the same record read back.
    var stateNormalized: Date {
        let rounded = (timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000
        // One more trip through the 1970 representation reaches the fixed point.
        return Date(
            timeIntervalSince1970: Date(timeIntervalSince1970: rounded).timeIntervalSince1970)
    }
}

extension ClusterRecord {
    var normalized: ClusterRecord {
        var copy = self
        copy.launchedAt = launchedAt.stateNormalized
        copy.updatedAt = updatedAt.stateNormalized
        return copy
    }
}

extension ClusterEvent {
    var normalized: ClusterEvent {
        var copy = self
        copy.time = time.stateNormalized
        return copy
    }
}

extension RequestRecord {
    var normalized: RequestRecord {
        var copy = self
        copy.createdAt = createdAt.stateNormalized
        copy.finishedAt = finishedAt?.stateNormalized
        return copy
    }
}

extension StorageRecord {
    var normalized: StorageRecord {
        var copy = self
        copy.createdAt = createdAt.stateNormalized
        copy.updatedAt = updatedAt.stateNormalized
        return copy
    }
}

extension CheckResult {
    var normalized: CheckResult {
        var copy = self
        copy.checkedAt = checkedAt.stateNormalized
        return copy
    }
}
