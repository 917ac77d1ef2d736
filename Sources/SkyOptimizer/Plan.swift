import SkyCore

/// What the optimizer decided for one task.
package struct Plan: Sendable {
    /// The resource to launch first.
    package var chosen: LaunchCandidate
    /// Every launchable candidate, best first (`chosen` is the first). When a launch fails the
    /// failover blocks what failed and re-plans; walking this list in order is equivalent.
    package var candidates: [LaunchCandidate]
    /// Per-request candidates considered for the table (all requests, also for `ordered`).
    package var considered: [LaunchCandidate]
    package var numNodes: Int
    package var objective: Objective
    /// For `ordered` requests: the requests as written, in order (for the table's row order).
    package var orderedRequests: [Resources]?

    /// Total hourly cost of the chosen resource for all nodes.
    package var hourlyCostTotal: Double { chosen.hourlyCost * Double(numNodes) }
}

/// What the optimizer minimises.
package enum Objective: String, Sendable {
    /// Hourly cost times nodes (SkyPilot's default).
    case cost
    /// Estimated run time; without a time estimator every candidate takes one hour, so the
    /// first launchable candidate wins.
    case time
}
