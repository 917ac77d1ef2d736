import Foundation
import SkyCore
import SkySlurm

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces this process with the command in `SKY_SLURM_AGENT_EXEC` (stdin, stdout and stderr
/// are kept: they are the plugin host's pipes).
enum AgentRelay {
    /// Only returns on failure (the exit status to use).
    static func exec(_ json: String) -> Int32 {
        guard case .array(let items)? = try? JSONValue.parse(Data(json.utf8)) else {
            FileHandle.standardError.write(Data("sky-slurm-agent: invalid relay command\n".utf8))
            return 2
        }
        let argv = items.compactMap(\.stringValue)
        guard let program = argv.first, argv.count == items.count else {
            FileHandle.standardError.write(Data("sky-slurm-agent: empty relay command\n".utf8))
            return 2
        }
        unsetenv(SlurmAgentWire.relayKey)
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArgs.append(nil)
        execvp(program, cArgs)
        let reason = String(cString: strerror(errno))
        for pointer in cArgs { free(pointer) }
        FileHandle.standardError.write(Data("sky-slurm-agent: cannot run \(program): \(reason)\n".utf8))
        return 127
    }
}
