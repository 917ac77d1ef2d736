import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A Kubernetes API client on AsyncHTTPClient: TLS with the kubeconfig's CA and client
/// certificate, bearer tokens (static, file, exec plugin), typed CRUD, patches, the status
/// subresource and watch streams. One instance per process; call `shutdown()` at the end.
package final class KubeClient: Sendable {
    package let credentials: KubeCredentials
    let http: HTTPClient
    let tokens: TokenSource

    /// Namespace of the context (or of the service account).
    package var defaultNamespace: String { credentials.namespace }

    package init(credentials: KubeCredentials) throws {
        self.credentials = credentials
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try Self.tlsConfiguration(credentials),
            timeout: .init(connect: .seconds(10)))
        configuration.httpVersion = .http1Only
        configuration.connectionPool = .init(idleTimeout: .seconds(60))
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.tokens = TokenSource(credentials.auth)
    }

    /// A client for `context` of the kubeconfig at `path` (nil: `$KUBECONFIG` / `~/.kube/config`),
    /// or the in-cluster service account when `inCluster`. An exec plugin that returns a
    /// client certificate is run once here.
    package static func connect(
        kubeconfig path: String?, context: String?, inCluster: Bool = false
    ) async throws -> KubeClient {
        var credentials: KubeCredentials
        if inCluster {
            credentials = try KubeCredentials.inCluster()
        } else {
            credentials = try KubeConfig.load(path: path).credentials(context: context)
        }
        if case .exec(let exec) = credentials.auth, credentials.clientCertPEM == nil {
            let credential = try await ExecCredentialPlugin(config: exec).run()
            if let cert = credential.clientCertificatePEM, let key = credential.clientKeyPEM {
                credentials.clientCertPEM = cert
                credentials.clientKeyPEM = key
                if credential.token == nil { credentials.auth = .none }
            }
        }
        return try KubeClient(credentials: credentials)
    }

    static func tlsConfiguration(_ credentials: KubeCredentials) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = credentials.caPEM {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
            }
            if let cert = credentials.clientCertPEM, let key = credentials.clientKeyPEM {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(cert).map {
                    .certificate($0)
                }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            }
        } catch {
            throw KubeError.config("the CA or client certificate/key is not valid PEM (\(error))")
        }
        if credentials.insecureSkipTLSVerify { tls.certificateVerification = .none }
        return tls
    }

    package func shutdown() async {
        try? await http.shutdown()
    }

    // MARK: - Requests

    struct Response {
        var code: Int
        var body: Data
    }

    func url(_ path: String, query: [(String, String)]) -> String {
        var base = credentials.server.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var text = base + path
        if !query.isEmpty {
            text += "?" + query.map { "\($0.0)=\(Self.queryEscape($0.1))" }.joined(separator: "&")
        }
        return text
    }

    static func queryEscape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    func makeRequest(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil,
        contentType: String = "application/json"
    ) async throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url(path, query: query))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "sky-operator")
        if let header = try await tokens.header() {
            request.headers.add(name: "Authorization", value: header)
        }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return request
    }

    /// One request; a non-2xx answer throws `KubeError.api` with the server's Status.
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil,
        contentType: String = "application/json", timeout: TimeAmount = .seconds(30)
    ) async throws -> Response {
        let request = try await makeRequest(
            method, path, query: query, body: body, contentType: contentType)
        let response: HTTPClientResponse
        let data: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            data = try await response.body.collect(upTo: 256 << 20)
        } catch let error as KubeError {
            throw error
        } catch {
            throw KubeError.transport("\(method) \(path): \(error)")
        }
        let bytes = Data(buffer: data)
        let code = Int(response.status.code)
        guard (200..<300).contains(code) else {
            if code == 401 { await tokens.invalidate() }
            throw KubeError.api(KubeStatus.from(body: bytes, httpCode: code))
        }
        return Response(code: code, body: bytes)
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw KubeError.decoding(what: what, detail: "\(error)")
        }
    }

    func encode<T: Encodable>(_ value: T) throws -> Data {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            return try encoder.encode(value)
        } catch {
            throw KubeError.decoding(what: "a request body", detail: "\(error)")
        }
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self = buffer.withUnsafeReadableBytes { Data($0) }
    }
}
