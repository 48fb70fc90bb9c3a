/* kiln-peak-rss CMD [ARGS...]: runs CMD and prints its peak resident set.
 *
 * Prints "peak_rss_kb N" on stderr after CMD exits, and exits with CMD's
 * status. A small process of its own does the fork: a child's ru_maxrss
 * counts the memory it had before exec, so a child forked from a large
 * process (a Python with ONNX Runtime loaded) would report at least that
 * (bench/peak_memory.py). */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: kiln-peak-rss CMD [ARGS...]\n");
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("kiln-peak-rss: fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[1], argv + 1);
    perror("kiln-peak-rss: exec");
    _exit(127);
  }
  int status = 0;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("kiln-peak-rss: wait4");
    return 2;
  }
  fprintf(stderr, "peak_rss_kb %ld\n", usage.ru_maxrss);
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
