/// What a backend can do beyond run / query / terminate. The engine refuses an operation a
/// backend does not declare, with a message naming the backend, never silently.
public enum ProvisionCapability: String, Codable, Sendable, Hashable, CaseIterable {
    /// `sky stop` / `sky start` (instances keep their disks).
    case stop
    /// Opening ports (`resources.ports`).
    case ports
    /// Spot / preemptible instances.
    case spot
    /// Clusters of more than one node.
    case multiNode
    /// Autostop driven by the head node's skylet.
    case autostop
    /// Custom images (`image_id`).
    case customImage
}
