// `mvn test-compile` with the javac plugin and without jasyncio-maven-plugin: the classes javac wrote are woven
// (frame classes beside them), pass CheckClassAdapter and the verifier, and the program runs.
import io.jasyncio.it.support.WovenClasses

def classes = new File(basedir, 'target/classes')
def testClasses = new File(basedir, 'target/test-classes')
def jar = { String artifact ->
    new File(localRepositoryPath, "io/jasyncio/${artifact}/${projectVersion}/${artifact}-${projectVersion}.jar")
}
def libs = [jar('jasyncio-runtime'), jar('jasyncio-annotations')]

def log = new File(basedir, 'build.log').text
assert !log.contains('jasyncio-maven-plugin') : 'the Maven plugin ran'
assert !log.contains('[WARNING]') : log

def names = classes.list() as List
def frames = new File(classes, 'demo').list().findAll { it.contains('$$Async$') }
assert frames.contains('Greeter$$Async$greet.class') : frames
assert frames.contains('Main$$Async$main.class') : frames
assert frames.any { it.startsWith('Greeter$$Async$lambda$') } : frames
assert WovenClasses.verify(classes.toPath(), libs*.toPath()) == 2
assert new File(testClasses, 'demo/GreeterCheck$$Async$check.class').isFile()
assert WovenClasses.verify(testClasses.toPath(), (libs + [classes])*.toPath()) == 1

def java = new File(System.getProperty('java.home'), 'bin/java').path
def run = { String cp, String main ->
    def proc = new ProcessBuilder(java, '-cp', cp, main, 'maven').redirectErrorStream(true).start()
    def output = proc.inputStream.text
    assert proc.waitFor() == 0 : output
    output.trim()
}
def cp = ([classes] + libs).collect { it.path }.join(File.pathSeparator)
assert run(cp, 'demo.Main') == 'hello maven! / hello nobody!'
assert run(testClasses.path + File.pathSeparator + cp, 'demo.GreeterCheck') == 'hello test!'
true
