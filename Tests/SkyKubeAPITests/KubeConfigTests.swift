import Foundation
import Testing

@testable import SkyKubeAPI

struct KubeConfigTests {
    static let sample = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: a
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority-data: \(Data("CA-PEM".utf8).base64EncodedString())
        - name: b
          cluster:
            server: https://b.example:443
            certificate-authority: certs/ca.pem
            insecure-skip-tls-verify: true
        users:
        - name: cert
          user:
            client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
            client-key-data: \(Data("KEY".utf8).base64EncodedString())
        - name: tok
          user:
            token: abc
        - name: plugin
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: get-token
              args: [--cluster, b]
              env: [{name: X, value: "1"}]
        contexts:
        - name: ctx-a
          context: {cluster: a, user: cert, namespace: team}
        - name: ctx-b
          context: {cluster: b, user: tok}
        - name: ctx-exec
          context: {cluster: a, user: plugin}
        current-context: ctx-a
        """

    @Test func currentContextGivesServerCANamespaceAndClientCertificate() throws {
        let config = try KubeConfig.parse(Self.sample, baseDirectory: "/nowhere")
        let creds = try config.credentials()
        #expect(creds.server.absoluteString == "https://10.0.0.1:6443")
        #expect(creds.caPEM == Array("CA-PEM".utf8))
        #expect(creds.clientCertPEM == Array("CERT".utf8))
        #expect(creds.clientKeyPEM == Array("KEY".utf8))
        #expect(creds.namespace == "team")
        #expect(creds.contextName == "ctx-a")
        guard case .none = creds.auth else {
            Issue.record("client-certificate user has no token auth")
            return
        }
    }

    @Test func relativeCAFileTokenAndDefaultNamespace() throws {
        let dir = NSTemporaryDirectory() + "kcfg-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(
            atPath: dir + "/certs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "FILE-CA".write(toFile: dir + "/certs/ca.pem", atomically: true, encoding: .utf8)
        let creds = try KubeConfig.parse(Self.sample, baseDirectory: dir).credentials(
            context: "ctx-b")
        #expect(creds.caPEM == Array("FILE-CA".utf8))
        #expect(creds.insecureSkipTLSVerify)
        #expect(creds.namespace == "default")
        guard case .bearer(let token) = creds.auth else {
            Issue.record("expected a bearer token")
            return
        }
        #expect(token == "abc")
    }

    @Test func execPluginIsKeptWithItsArgumentsAndEnv() throws {
        let creds = try KubeConfig.parse(Self.sample, baseDirectory: "/").credentials(
            context: "ctx-exec")
        guard case .exec(let exec) = creds.auth else {
            Issue.record("expected an exec plugin")
            return
        }
        #expect(exec.command == "get-token")
        #expect(exec.args == ["--cluster", "b"])
        #expect(exec.env?.first?.value == "1")
    }

    @Test func unknownContextAndMissingFilesAreExplained() throws {
        let config = try KubeConfig.parse(Self.sample, baseDirectory: "/nowhere")
        #expect(throws: KubeError.self) { try config.credentials(context: "nope") }
        do {
            _ = try config.credentials(context: "ctx-b")
            Issue.record("a missing CA file must fail")
        } catch let error as KubeError {
            #expect(error.description.contains("/nowhere/certs/ca.pem"))
        }
    }

    @Test func inClusterConfigReadsTheServiceAccountFiles() throws {
        let dir = NSTemporaryDirectory() + "sa-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "tok\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        try "CA".write(toFile: dir + "/ca.crt", atomically: true, encoding: .utf8)
        try "sky-system\n".write(toFile: dir + "/namespace", atomically: true, encoding: .utf8)
        let env = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let creds = try KubeCredentials.inCluster(environment: env, directory: dir)
        #expect(creds.server.absoluteString == "https://10.96.0.1:443")
        #expect(creds.namespace == "sky-system")
        #expect(creds.caPEM == Array("CA".utf8))
        #expect(throws: KubeError.self) {
            try KubeCredentials.inCluster(environment: [:], directory: dir)
        }
    }

    @Test func labelSelectorsRenderAndMatchLikeTheServer() {
        let selector = LabelSelector([
            .equals("app", "sky"), .notEquals("tier", "db"), .in("zone", ["a", "b"]),
            .exists("owner"),
            .doesNotExist("skip"),
        ])
        #expect(selector.description == "app=sky,tier!=db,zone in (a,b),owner,!skip")
        #expect(selector.matches(["app": "sky", "zone": "a", "owner": "x"]))
        #expect(!selector.matches(["app": "sky", "zone": "c", "owner": "x"]))
        #expect(!selector.matches(["app": "sky", "zone": "a", "owner": "x", "skip": "1"]))
    }

    @Test func statusBodiesDecodeIntoErrors() {
        let body = Data(
            #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}"#
                .utf8)
        let status = KubeStatus.from(body: body, httpCode: 404)
        #expect(status.reason == "NotFound")
        #expect(KubeError.api(status).isNotFound)
        let plain = KubeStatus.from(body: Data("upstream connect error".utf8), httpCode: 503)
        #expect(plain.code == 503)
        #expect(plain.message == "upstream connect error")
    }

    @Test func microTimeHasSixFractionDigits() {
        let text = KubeTime.micro(Date(timeIntervalSince1970: 1_700_000_000.25))
        #expect(text == "2023-11-14T22:13:20.250000Z")
    }
}
