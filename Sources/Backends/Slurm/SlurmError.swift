import CSlurm
import SkyProvision

/// A failed libslurm call or a Slurm set-up problem. `provisionError` maps it to the code the
/// failover loop decides on.
package enum SlurmError: Error, CustomStringConvertible, Sendable, Hashable {
    /// A libslurm call returned an error; `code` is `slurm_get_errno()`, `message` its
    /// `slurm_strerror` text.
    case call(function: String, code: Int32, message: String)
    /// No `slurm.conf` where libslurm looks for it.
    case configNotFound(path: String)
    /// libslurm at run time is not the release the headers were built against.
    case versionMismatch(headers: String, library: String)
    /// libslurm cannot be opened (`soname`, the library the headers need, nor `libslurm.so`).
    case libraryUnavailable(soname: String, String)
    /// A request we refuse before calling Slurm.
    case invalidRequest(String)

    package var code: Int32? {
        if case .call(_, let code, _) = self { return code }
        return nil
    }

    package var description: String {
        switch self {
        case .call(let function, let code, let message):
            "Slurm refused \(function): \(message) (error \(code))."
        case .configNotFound(let path):
            "No Slurm configuration at \(path). Set SLURM_CONF to the cluster's slurm.conf or run "
                + "Sky on a login node of the cluster."
        case .versionMismatch(let headers, let library):
            "Sky was built against Slurm \(headers) headers but the installed libslurm is \(library). "
                + "Rebuild Sky on this machine (swift build) so that both match."
        case .libraryUnavailable(let soname, let why):
            "Slurm's library \(soname) is not installed here (\(why)). Install it (Debian/Ubuntu: "
                + "apt-get install libslurm38 or slurm-client) or run Sky on a login node of the "
                + "cluster; without a local slurm.conf, ~/.slurm/config reaches one over ssh."
        case .invalidRequest(let message):
            message
        }
    }

    /// The provisioning error for the failover loop: capacity for requests no node can serve
    /// now, credentials for an unreachable controller or refused authentication, not found for
    /// unknown jobs.
    package var provisionError: ProvisionError {
        switch self {
        case .configNotFound, .versionMismatch, .libraryUnavailable:
            return .credentials(description)
        case .invalidRequest(let message):
            return .invalidConfig(message)
        case .call(_, let code, _):
            return Self.classify(code, description)
        }
    }

    static func classify(_ code: Int32, _ text: String) -> ProvisionError {
        let capacity: [slurm_err_t] = [
            ESLURM_REQUESTED_NODE_CONFIG_UNAVAILABLE, ESLURM_REQUESTED_PART_CONFIG_UNAVAILABLE,
            ESLURM_NODES_BUSY, ESLURM_TOO_MANY_REQUESTED_CPUS, ESLURM_INVALID_NODE_COUNT,
            ESLURM_NODE_NOT_AVAIL, ESLURM_PARTITION_NOT_AVAIL, ESLURM_INVALID_GRES,
            ESLURM_INVALID_TRES, ESLURM_RESERVATION_BUSY, ESLURM_PORTS_BUSY,
        ]
        let quota: [slurm_err_t] = [ESLURM_ACCOUNTING_POLICY, ESLURM_QOS_THRES]
        let credentials: [slurm_err_t] = [
            ESLURM_ACCESS_DENIED, ESLURM_USER_ID_MISSING, ESLURM_INVALID_ACCOUNT,
            ESLURM_RESERVATION_ACCESS, SLURM_COMMUNICATIONS_CONNECTION_ERROR,
            SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR, SLURM_PROTOCOL_VERSION_ERROR,
        ]
        let notFound: [slurm_err_t] = [ESLURM_INVALID_JOB_ID, ESLURM_ALREADY_DONE]
        let invalid: [slurm_err_t] = [
            ESLURM_INVALID_PARTITION_NAME, ESLURM_INVALID_QOS, ESLURM_INVALID_TIME_LIMIT,
            ESLURM_INVALID_FEATURE, ESLURM_INVALID_NODE_NAME, ESLURM_RESERVATION_INVALID,
            ESLURM_INVALID_GRES_TYPE, ESLURM_INVALID_LICENSES,
        ]
        func has(_ list: [slurm_err_t]) -> Bool { list.contains { Int32($0.rawValue) == code } }
        if has(capacity) { return .capacity(text) }
        if has(quota) { return .quota(text) }
        if has(credentials) || (6000..<6100).contains(code) { return .credentials(text) }
        if has(notFound) { return .notFound(text) }
        if has(invalid) { return .invalidConfig(text) }
        return .internal(text)
    }
}
