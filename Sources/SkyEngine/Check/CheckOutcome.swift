/// One backend's `sky check` result.
package struct CheckOutcome: Sendable, Hashable {
    /// Registry name (`aws`, `ssh`, a plugin's name).
    package var backend: String
    /// How SkyPilot prints it (`AWS`, `SSH`, `Kubernetes`).
    package var displayName: String
    /// Enabled capabilities (`compute`, `storage`); empty = disabled.
    package var capabilities: [String]
    /// Why disabled, or a note when enabled.
    package var reason: String?
    /// What to do about it.
    package var hint: String?
    /// Per-context / per-pool lines (`pool: enabled.`), printed as a tree.
    package var treeTitle: String?
    package var tree: [String]

    package init(
        backend: String, displayName: String, capabilities: [String], reason: String? = nil,
        hint: String? = nil, treeTitle: String? = nil, tree: [String] = []
    ) {
        self.backend = backend
        self.displayName = displayName
        self.capabilities = capabilities
        self.reason = reason
        self.hint = hint
        self.treeTitle = treeTitle
        self.tree = tree
    }

    package var isEnabled: Bool { !capabilities.isEmpty }

    static func disabled(
        _ backend: String, _ display: String, _ reason: String, hint: String? = nil
    )
        -> CheckOutcome
    {
        CheckOutcome(
            backend: backend, displayName: display, capabilities: [], reason: reason, hint: hint)
    }
}

/// A probe `sky check` runs with a deadline.
package struct CheckProbe: Sendable {
    package var backend: String
    package var displayName: String
    package var run: @Sendable () async -> CheckOutcome

    package init(
        backend: String, displayName: String, run: @escaping @Sendable () async -> CheckOutcome
    ) {
        self.backend = backend
        self.displayName = displayName
        self.run = run
    }
}
