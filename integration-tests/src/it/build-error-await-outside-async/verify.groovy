// The build failed (invoker.buildResult); it must say where, for every problem, as javac would.
def log = new File(basedir, 'build.log').text
def source = new File(basedir, 'src/main/java/demo/Fetcher.java').canonicalPath

assert log.contains('jasyncio cannot weave 1 class') : 'no failure of the jasyncio plugin'
assert log.contains("${source}:8: demo.Fetcher.notAsync(): ") : 'first problem (Fetcher.java:8) not shown'
assert log.contains("${source}:12: demo.Fetcher.alsoNotAsync(): ") : 'second problem (Fetcher.java:12) not shown'
assert !log.contains('BUILD SUCCESS')
true
