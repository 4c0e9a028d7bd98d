import argparse
import asyncio


async def handle_echo(reader, writer):
    host, port = writer.get_extra_info("peername")[:2]
    echoed = 0
    try:
        while data := await reader.read(65536):  # b"": the client closed its side
            writer.write(data)
            await writer.drain()
            echoed += len(data)
    except ConnectionError as e:
        print(f"Lost {host}:{port}: {e}")
    print(f"Echoed {echoed} bytes to {host}:{port}")
    writer.close()


async def main(host, port):
    server = await asyncio.start_server(handle_echo, host, port)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"Serving on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8888)
args = parser.parse_args()
asyncio.run(main(args.host, args.port))
