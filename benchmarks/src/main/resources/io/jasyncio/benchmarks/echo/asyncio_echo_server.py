"""W6 with CPython's asyncio, written as its users write a server: asyncio.start_server, then per connection
reader.read / writer.write / await writer.drain() until end of stream (TCP_NODELAY is asyncio's default).

    python3 asyncio_echo_server.py [--host HOST] [--port PORT]     (127.0.0.1, 0: any free port)

Prints "Serving on HOST:PORT" first (what EchoRunner waits for), then serves until killed.
"""
import asyncio
import sys


async def echo(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main(host, port):
    server = await asyncio.start_server(echo, host, port)
    h, p = server.sockets[0].getsockname()[:2]
    print(f"Serving on {h}:{p}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    args = sys.argv[1:]
    host, port = "127.0.0.1", 0
    for i in range(0, len(args), 2):
        if args[i] == "--host":
            host = args[i + 1]
        elif args[i] == "--port":
            port = int(args[i + 1])
        else:
            raise SystemExit(f"unknown option {args[i]}; usage: [--host H] [--port P]")
    asyncio.run(main(host, port))
