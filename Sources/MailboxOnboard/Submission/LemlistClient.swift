import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends connect requests to lemlist over one shared HTTP client whose pool is sized to the run's concurrency
/// (AsyncHTTPClient's default of 8 connections per host would cap throughput).
public final class LemlistClient: Sendable {
    /// What came back for one request.
    public enum Reply: Sendable {
        case answer(status: Int, contentType: String?, body: String, signals: RateLimitSignals)
        case transportError(String)
    }

    public static let version = "1.0.0"

    private let http: HTTPClient
    private let endpoint: String
    private let authorization: Secret
    private let timeout: Duration

    public init(baseURL: String, apiKey: Secret, concurrency: Int, timeout: Duration) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(concurrency, 1))
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(30))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        endpoint = base + "/user/email-accounts"
        authorization = Secret("Basic " + Data(":\(apiKey.revealed)".utf8).base64EncodedString())
        self.timeout = timeout
    }

    /// POSTs one request body. Never throws: every failure is a `Reply`, and none of them holds the body or the key.
    public func send(_ body: Secret) async -> Reply {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Authorization", value: authorization.revealed)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "mailbox-onboard/\(Self.version)")
        request.body = .bytes(ByteBuffer(string: body.revealed))
        do {
            let seconds = Int64(timeout.components.seconds) * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
            let response = try await http.execute(request, timeout: .milliseconds(seconds))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let signals = RateLimitSignals(header: { response.headers.first(name: $0) }, now: Date().timeIntervalSince1970)
            return .answer(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
                           body: String(buffer: bytes), signals: signals)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return .transportError("no answer within \(timeout.components.seconds) s")
        } catch {
            return .transportError("connection error: \(Self.describe(error))")
        }
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// A short, secret-free description of a transport error.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}
