import Foundation

/// Everything needed to talk to one API server as one user: the result of resolving a
/// kubeconfig context or the in-cluster service account. Holds secrets: never print it.
package struct KubeCredentials: Sendable {
    package enum Auth: Sendable {
        case none
        case bearer(String)
        /// A token file re-read when it changes (projected service-account tokens rotate).
        case tokenFile(String)
        case exec(KubeConfig.ExecConfig)
    }

    package var server: URL
    /// PEM bytes of the CA bundle; nil = the system trust store.
    package var caPEM: [UInt8]?
    package var insecureSkipTLSVerify = false
    package var tlsServerName: String?
    /// PEM client certificate and key (client-certificate auth).
    package var clientCertPEM: [UInt8]?
    package var clientKeyPEM: [UInt8]?
    package var auth: Auth = .none
    /// The context's namespace (or the service account's), default `default`.
    package var namespace: String = "default"
    /// Context name, for messages.
    package var contextName: String?

    package init(server: URL) {
        self.server = server
    }
}

extension KubeConfig {
    /// Resolves `context` (nil = current-context) into credentials.
    package func credentials(context requested: String? = nil) throws -> KubeCredentials {
        guard let contextName = requested ?? currentContext, !contextName.isEmpty else {
            throw KubeError.config("no context given and the kubeconfig has no current-context")
        }
        guard let context = contexts?.first(where: { $0.name == contextName })?.context else {
            throw KubeError.config(
                "context '\(contextName)' is not in the kubeconfig (contexts: \(contextNames.joined(separator: ", ")))"
            )
        }
        guard let cluster = clusters?.first(where: { $0.name == context.cluster })?.cluster else {
            throw KubeError.config(
                "cluster '\(context.cluster)' of context '\(contextName)' is not in the kubeconfig")
        }
        guard let server = URL(string: cluster.server), server.scheme != nil else {
            throw KubeError.config(
                "cluster '\(context.cluster)' has an invalid server address '\(cluster.server)'")
        }
        var out = KubeCredentials(server: server)
        out.contextName = contextName
        out.namespace = context.namespace ?? "default"
        out.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify ?? false
        out.tlsServerName = cluster.tlsServerName
        out.caPEM = try material(
            data: cluster.certificateAuthorityData, file: cluster.certificateAuthority,
            what: "certificate-authority")
        if let userName = context.user {
            guard let user = users?.first(where: { $0.name == userName })?.user else {
                throw KubeError.config(
                    "user '\(userName)' of context '\(contextName)' is not in the kubeconfig")
            }
            out.clientCertPEM = try material(
                data: user.clientCertificateData, file: user.clientCertificate,
                what: "client-certificate")
            out.clientKeyPEM = try material(
                data: user.clientKeyData, file: user.clientKey, what: "client-key")
            if (out.clientCertPEM == nil) != (out.clientKeyPEM == nil) {
                throw KubeError.config(
                    "user '\(userName)' has a client certificate without a key (or a key without a certificate)"
                )
            }
            if let token = user.token {
                out.auth = .bearer(token)
            } else if let file = user.tokenFile {
                out.auth = .tokenFile(resolve(file))
            } else if let exec = user.exec {
                out.auth = .exec(exec)
            }
        }
        return out
    }

    /// Base64 `*-data`, else the file's bytes (path relative to the kubeconfig).
    private func material(data: String?, file: String?, what: String) throws -> [UInt8]? {
        if let data {
            guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                throw KubeError.config("\(what)-data is not valid base64")
            }
            return [UInt8](decoded)
        }
        if let file {
            let path = resolve(file)
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw KubeError.config("cannot read the \(what) file \(path)")
            }
            return [UInt8](bytes)
        }
        return nil
    }

    private func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty { return path }
        if path.hasPrefix("~/") { return NSHomeDirectory() + path.dropFirst(1) }
        return baseDirectory + "/" + path
    }
}

extension KubeCredentials {
    /// The pod's service account (`KUBERNETES_SERVICE_HOST`/`PORT` and the files under
    /// `/var/run/secrets/kubernetes.io/serviceaccount`).
    package static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = "/var/run/secrets/kubernetes.io/serviceaccount"
    ) throws -> KubeCredentials {
        guard let host = environment["KUBERNETES_SERVICE_HOST"],
            let port = environment["KUBERNETES_SERVICE_PORT"]
        else {
            throw KubeError.config(
                "not running in a pod (KUBERNETES_SERVICE_HOST/PORT unset); pass --kubeconfig")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        guard let url = URL(string: "https://\(hostPart):\(port)") else {
            throw KubeError.config("invalid in-cluster address \(host):\(port)")
        }
        var out = KubeCredentials(server: url)
        guard FileManager.default.fileExists(atPath: directory + "/token") else {
            throw KubeError.config("the service account token \(directory)/token is missing")
        }
        out.auth = .tokenFile(directory + "/token")
        out.caPEM = FileManager.default.contents(atPath: directory + "/ca.crt").map { [UInt8]($0) }
        if let data = FileManager.default.contents(atPath: directory + "/namespace") {
            let namespace = String(decoding: data, as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            if !namespace.isEmpty { out.namespace = namespace }
        }
        out.contextName = "in-cluster"
        return out
    }
}
