import Foundation

/// The cached outcome of `sky check` for one backend in one workspace.
package struct CheckResult: Codable, Sendable, Equatable {
    package var workspace: String
    /// Backend name as used in `infra`, e.g. `aws`, `kubernetes`, `ssh`, `slurm`.
    package var backend: String
    /// Enabled capabilities, e.g. `["compute", "storage"]`; empty when disabled.
    package var capabilities: [String]
    /// Why the backend (or a capability) is disabled.
    package var reason: String?
    /// Optional JSON text with per-context / per-pool details.
    package var details: String?
    package var checkedAt: Date

    package init(
        workspace: String = "default", backend: String, capabilities: [String],
        reason: String? = nil, details: String? = nil, checkedAt: Date = Date()
    ) {
        self.workspace = workspace
        self.backend = backend
        self.capabilities = capabilities
        self.reason = reason
        self.details = details
        self.checkedAt = checkedAt
    }

    package var isEnabled: Bool { !capabilities.isEmpty }
}
