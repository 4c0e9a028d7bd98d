package io.jasyncio.benchmarks.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The W6 reference: Netty 4.2's NIO echo server with ONE event loop (accepting and serving on the same thread),
 * the usual handler that writes what it reads and flushes at the end of each read, TCP_NODELAY. Runs until
 * killed.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    /** Netty's example echo handler. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cause.printStackTrace();
            ctx.close();
        }
    }

    /**
     * Serves on {@code --host} (127.0.0.1) and {@code --port} (0: any free port) until killed.
     *
     * @param args the command line
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        ServerArgs a = ServerArgs.parse(args);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new EchoHandler())
                    .bind(a.host, a.port).sync().channel();
            ServerArgs.serving(ch.localAddress());
            ch.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
