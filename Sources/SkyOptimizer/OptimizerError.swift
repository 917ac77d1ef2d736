/// Errors of the optimizer; each description is a sentence a user can act on.
package enum OptimizerError: Error, CustomStringConvertible, Equatable {
    /// No enabled cloud or backend to plan on.
    case noEnabledClouds
    /// A request is invalid against the catalogs (unknown region, instance type, ...).
    case invalidResources(String)
    /// Nothing satisfies the request (SkyPilot's `ResourcesUnavailableError`).
    case resourcesUnavailable(String)

    package var description: String {
        switch self {
        case .noEnabledClouds:
            return "No cloud is enabled. Run 'sky check' to enable clouds, or set "
                + "SKY_ENABLED_CLOUDS (e.g. SKY_ENABLED_CLOUDS=gcp,azure,lambda) for offline planning."
        case .invalidResources(let message), .resourcesUnavailable(let message):
            return message
        }
    }
}
