import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real `python3 -m http.server` serving a temporary folder laid out like SkyPilot's catalog
/// repository (`<root>/v8/<cloud>/vms.csv`, `<root>/v8/common/...`), for `sky catalog update`.
final class LocalCatalogServer {
    let root: URL
    private(set) var port = 0
    private var pid: pid_t = 0
    /// Read end of the server's stdout, open until `stop` (the server never writes to a closed pipe).
    private var outputFD: Int32 = -1

    /// The base URL to pass as `SKY_CATALOG_URL` (the folder holding `v8/`).
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-catalog-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// Writes `text` at `relative` under `<root>/v8/`.
    func serve(_ relative: String, _ text: String) throws {
        let url = root.appendingPathComponent("v8/" + relative)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Copies a bundled catalog file so the server publishes it too.
    func serveBundled(_ relative: String) throws {
        let text = try String(
            contentsOf: CatalogFixture.directory.appendingPathComponent(relative), encoding: .utf8)
        try serve(relative, text)
    }

    /// Starts the server on a free port (the port python prints). Spawned and reaped with
    /// posix_spawn / waitpid: Foundation's `waitUntilExit` busy-waits in an async test.
    func start() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw ServerError.noPort("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let argv = [
            "/usr/bin/env", "python3", "-u", "-m", "http.server", "--bind", "127.0.0.1",
            "--directory", root.path, "0",
        ]
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for arg in cArgs { free(arg) } }
        // A clean signal mask and default handlers: a test runs on a thread that blocks
        // SIGTERM, and the child would inherit that (then `stop` could never end it).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, environ)
        close(fds[1])
        outputFD = fds[0]
        guard rc == 0 else { throw ServerError.noPort("posix_spawn failed: \(rc)") }
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while port == 0 {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            text += String(decoding: buffer[0..<n], as: UTF8.self)
            if let range = text.range(of: " port "),
                let number = Int(text[range.upperBound...].prefix { $0.isNumber })
            {
                port = number
            }
        }
        guard port > 0 else { throw ServerError.noPort(text) }
        try waitUntilAccepting()
    }

    /// Connects until the listening socket answers (at most 10 s).
    private func waitUntilAccepting() throws {
        for _ in 0..<200 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if connected { return }
            usleep(50_000)
        }
        throw ServerError.noPort("port \(port) never accepted a connection")
    }

    func stop() {
        if pid > 0 {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            pid = 0
        }
        if outputFD >= 0 {
            close(outputFD)
            outputFD = -1
        }
        try? FileManager.default.removeItem(at: root)
    }

    enum ServerError: Error, CustomStringConvertible {
        case noPort(String)
        var description: String { "python3 -m http.server did not report its port: \(noPortText)" }
        private var noPortText: String {
            switch self {
            case .noPort(let text): text
            }
        }
    }

    /// A small AWS `vms.csv` in the v8 format of reference section 8 (real AWS instance shapes;
    /// the prices are this fixture's own, the tests read them back from these rows).
    static let awsVMs = """
        InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone,Arch
        a1.2xlarge,,,8.0,16.0,,0.204,0.204000,us-east-1,use1-az2,arm64
        m6i.2xlarge,,,8.0,32.0,,0.384,0.1522,us-east-1,use1-az1,x86_64
        m6i.2xlarge,,,8.0,32.0,,0.384,0.1498,us-east-1,use1-az2,x86_64
        m6i.2xlarge,,,8.0,32.0,,0.428,0.1701,eu-west-1,euw1-az1,x86_64
        m6i.4xlarge,,,16.0,64.0,,0.768,0.3011,us-east-1,use1-az1,x86_64
        c6i.2xlarge,,,8.0,16.0,,0.34,0.1301,us-east-1,use1-az1,x86_64
        r6i.2xlarge,,,8.0,64.0,,0.504,0.2003,us-west-2,usw2-az1,x86_64
        g5.xlarge,A10G,1.0,4.0,16.0,"{'Gpus': [{'Name': 'A10G', 'Manufacturer': 'NVIDIA', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 24576}}], 'TotalGpuMemoryInMiB': 24576}",1.006,0.4112,us-east-1,use1-az1,x86_64
        g5.xlarge,A10G,1.0,4.0,16.0,"{'Gpus': [{'Name': 'A10G', 'Manufacturer': 'NVIDIA', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 24576}}], 'TotalGpuMemoryInMiB': 24576}",1.006,0.3987,us-west-2,usw2-az2,x86_64
        g5.2xlarge,A10G,1.0,8.0,32.0,"{'Gpus': [{'Name': 'A10G', 'Manufacturer': 'NVIDIA', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 24576}}], 'TotalGpuMemoryInMiB': 24576}",1.212,0.5102,us-east-1,use1-az1,x86_64
        p3.2xlarge,V100,1.0,8.0,61.0,"{'Gpus': [{'Name': 'V100', 'Manufacturer': 'NVIDIA', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 16384}}], 'TotalGpuMemoryInMiB': 16384}",3.06,0.9180,us-east-1,use1-az1,x86_64

        """
}
