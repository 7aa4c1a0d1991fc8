import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import OnboardInput

/// A local stand-in for lemlist's `POST /api/user/email-accounts`, served over HTTP/1.1 on loopback.
///
/// As strict as the real API is described: Basic auth, required fields and their types, "Invalid host" for Gmail
/// and private addresses, team membership (403), duplicate mailboxes, and the rolling 20-per-2-s limit per key with
/// 429, Retry-After and X-RateLimit-* headers in lemlist's format. Latency and faults are injected from a seed.
/// Built on SwiftNIO directly: resets and hangs need control of the connection itself.
public final class LemlistEmulator: Sendable {
    public let port: Int
    public let configuration: EmulatorConfiguration
    private let channel: any Channel
    private let core: EmulatorCore

    /// The base URL to give the client, e.g. `http://127.0.0.1:54321/api`.
    public var baseURL: String { "http://127.0.0.1:\(port)/api" }

    /// Starts listening on `host`:`port` (0 picks a free port; read it from `port`).
    public static func start(configuration: EmulatorConfiguration = EmulatorConfiguration(), host: String = "127.0.0.1", port: Int = 0) async throws -> LemlistEmulator {
        let core = EmulatorCore(configuration: configuration)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(EmulatorHandler(core: core))
                }
            }
            .bind(host: host, port: port).get()
        guard let bound = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        return LemlistEmulator(port: bound, configuration: configuration, channel: channel, core: core)
    }

    private init(port: Int, configuration: EmulatorConfiguration, channel: any Channel, core: EmulatorCore) {
        self.port = port
        self.configuration = configuration
        self.channel = channel
        self.core = core
    }

    /// What it has received and done so far.
    public var statistics: EmulatorStatistics { core.statistics }

    /// Returns once at least `count` requests have arrived: an event tests can await instead of sleeping.
    public func waitForRequests(_ count: Int) async { await core.waitForRequests(count) }

    /// Seconds on the emulator's own monotonic clock, the one `statistics` times are in.
    public func now() -> Double { core.now() }

    public func stop() async {
        try? await channel.close()
    }
}

/// Reads one HTTP request at a time from a connection and answers it as `EmulatorCore` decides.
final class EmulatorHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let core: EmulatorCore
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var arrival = 0.0

    init(core: EmulatorCore) {
        self.core = core
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(requestHead):
            head = requestHead
            body.removeAll(keepingCapacity: true)
            arrival = core.now()
        case var .body(buffer):
            if body.count < 1 << 20, let bytes = buffer.readBytes(length: buffer.readableBytes) { body += bytes }
        case .end:
            guard let head else { return }
            core.arrived()
            let reply = core.handle(method: head.method.rawValue, path: head.uri, authorization: head.headers.first(name: "Authorization"),
                                    contentType: head.headers.first(name: "Content-Type"), body: body, arrival: arrival)
            deliver(reply, keepAlive: head.isKeepAlive, version: head.version, context: context)
        }
    }

    private func deliver(_ reply: EmulatorCore.Reply, keepAlive: Bool, version: HTTPVersion, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        switch reply {
        case .hang:
            return
        case let .close(delay):
            loop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) {
                bound.value.0.core.answered()
                bound.value.1.close(promise: nil)
            }
        case let .stall(status, headers, text, declaredLength, delay):
            loop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) {
                let (handler, context) = bound.value
                var fields = HTTPHeaders(headers)
                fields.replaceOrAdd(name: "Content-Length", value: String(declaredLength))
                let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: fields)
                context.write(handler.wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            }
        case let .trickle(status, headers, every, delay):
            loop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) {
                let (handler, context) = bound.value
                var fields = HTTPHeaders(headers)
                fields.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
                let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: fields)
                context.writeAndFlush(handler.wrapOutboundOut(.head(head)), promise: nil)
                loop.scheduleRepeatedTask(initialDelay: .zero, delay: .nanoseconds(every.nanoseconds)) { task in
                    let (handler, context) = bound.value
                    guard context.channel.isActive else { return task.cancel() }
                    context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: " ")))), promise: nil)
                }
            }
        case let .respond(status, headers, text, delay):
            loop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) {
                let (handler, context) = bound.value
                handler.core.answered()
                var fields = HTTPHeaders(headers)
                let bytes = ByteBuffer(string: text)
                fields.replaceOrAdd(name: "Content-Length", value: String(bytes.readableBytes))
                fields.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
                let responseHead = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: fields)
                context.write(handler.wrapOutboundOut(.head(responseHead)), promise: nil)
                context.write(handler.wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil)
                context.writeAndFlush(handler.wrapOutboundOut(.end(nil))).whenComplete { _ in
                    if !keepAlive { bound.value.1.close(promise: nil) }
                }
            }
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

/// Runs `body` with an emulator started for it, and stops the emulator on every way out of `body`, a throw included.
public func withEmulator<T>(_ configuration: EmulatorConfiguration = EmulatorConfiguration(),
                            _ body: (LemlistEmulator) async throws -> T) async throws -> T {
    let emulator = try await LemlistEmulator.start(configuration: configuration)
    do {
        let result = try await body(emulator)
        await emulator.stop()
        return result
    } catch {
        await emulator.stop()
        throw error
    }
}
