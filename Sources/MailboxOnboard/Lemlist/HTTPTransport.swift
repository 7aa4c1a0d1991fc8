import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OnboardInput

/// `LemlistTransport` over HTTPS with AsyncHTTPClient: one shared client whose pool is sized to the run's
/// concurrency (AsyncHTTPClient's default of 8 connections per host would cap throughput).
public final class HTTPTransport: LemlistTransport {
    public static let version = "1.0.0"

    private let http: HTTPClient
    private let base: String
    private let authorization: Secret
    private let timeout: Duration

    /// The most of an answer's body that is read; lemlist's answers are a few hundred bytes.
    static let bodyCap = 1 << 20

    public init(baseURL: String, apiKey: Secret, concurrency: Int, timeout: Duration) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(concurrency, 1))
        // A refused connection is an answer of its own: our retry policy spaces the next try, rather than the pool
        // trying again and again until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .milliseconds(Int64(min(timeout, Self.connectBound) / .milliseconds(1))))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        authorization = Secret("Basic " + Data(":\(apiKey.revealed)".utf8).base64EncodedString())
        self.timeout = timeout
    }

    /// Establishing a connection takes this long at most, whatever the timeout for the whole answer.
    static let connectBound: Duration = .seconds(10)

    /// The timeout covers the whole exchange, connection, headers and body: a server that sends its headers and then
    /// trickles or stalls is cut off like one that never answers.
    public func send(_ request: LemlistRequest) async -> LemlistReply {
        let timeout = self.timeout
        return await withTaskGroup(of: LemlistReply?.self) { group in
            group.addTask { await self.exchange(request) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .transportError("no complete answer within \(Self.seconds(timeout)) s")
        }
    }

    private func exchange(_ lemlist: LemlistRequest) async -> LemlistReply {
        var request = HTTPClientRequest(url: base + lemlist.endpoint.path)
        request.method = HTTPMethod(rawValue: lemlist.endpoint.method)
        request.headers.add(name: "Authorization", value: authorization.revealed)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "mailbox-onboard/\(Self.version)")
        if let body = lemlist.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.revealed))
        }
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout / .milliseconds(1))))
            // A 2xx is an answer whatever its size: past the cap the rest is not read, and the answer still counts.
            var bytes = ByteBuffer()
            for try await var chunk in response.body {
                let room = Self.bodyCap - bytes.readableBytes
                if chunk.readableBytes >= room {
                    bytes.writeBuffer(&chunk)
                    bytes.moveWriterIndex(to: Self.bodyCap)
                    break
                }
                bytes.writeBuffer(&chunk)
            }
            let signals = RateLimitSignals(header: { response.headers.first(name: $0) }, now: Date().timeIntervalSince1970)
            return .answer(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
                           body: String(buffer: bytes), signals: signals)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return .transportError("no answer within \(Self.seconds(timeout)) s")
        } catch is CancellationError {
            return .transportError("no complete answer within \(Self.seconds(timeout)) s")
        } catch {
            return .transportError("connection error: \(Self.describe(error))")
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let value = duration.inSeconds
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
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
