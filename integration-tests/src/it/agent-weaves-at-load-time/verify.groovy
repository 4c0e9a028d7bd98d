// The classes were compiled but not woven; the java agent (the shaded jar, as published) weaves them at load time.
def classes = new File(basedir, 'target/classes')
assert !classes.list().any { it.contains('$$Async$') }

def jar = { String artifact ->
    new File(localRepositoryPath, "io/jasyncio/${artifact}/${projectVersion}/${artifact}-${projectVersion}.jar").path
}
def agent = jar('jasyncio-transformer')
def cp = [classes.path, jar('jasyncio-runtime'), jar('jasyncio-annotations')].join(File.pathSeparator)
def java = new File(System.getProperty('java.home'), 'bin/java').path
def run = { String main ->
    def proc = new ProcessBuilder(java, "-javaagent:${agent}", '-cp', cp, main, 'agent').start()
    def out = new StringBuffer(), err = new StringBuffer()
    proc.waitForProcessOutput(out, err)
    [proc.exitValue(), out.toString(), err.toString()]
}

// No ASM of its own on the class path: the agent's is relocated inside its jar.
def (status, out, err) = run('demo.Greeter')
assert status == 0 : "demo.Greeter failed:\n${out}\n${err}"
assert out.trim() == 'hello agent' : out
assert err.trim().isEmpty() : err

// A class the agent cannot weave: each problem on standard error, then await fails naming the method.
(status, out, err) = run('demo.Misuse')
assert status != 0
assert err.contains('[jasyncio-agent] Misuse.java:8: demo.Misuse.notAsync(): ') : err
assert err.contains('[jasyncio-agent] demo.Misuse is loaded as it is, not woven by the agent') : err
assert err.contains('io.jasyncio.NotWovenException: await() was called in demo.Misuse.notAsync') : err
// and it says that the agent ran and refused the class, rather than advising to install it
assert err.contains('the jasyncio agent is installed but did not weave demo.Misuse') : err
true
