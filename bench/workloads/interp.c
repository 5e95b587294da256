/* A switch-heavy interpreter: a stack-machine bytecode VM (one `switch` per
   instruction, compiled to br_table) running a prime-counting program. */
#include <stdint.h>

enum op {
  OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_MUL, OP_MOD, OP_LT, OP_LE,
  OP_DUP, OP_JMP, OP_JZ, OP_INC, OP_HALT,
};

/* Counts the primes below `limit` by trial division. Variables: 0 = limit,
   1 = i, 2 = j, 3 = count. Operands follow their opcode; the numbers on the
   left are code addresses, the jump targets. */
static const int32_t program[] = {
  /*  0 */ OP_PUSH, 2, OP_STORE, 1,                  /* i = 2 */
  /*  4 */ OP_PUSH, 0, OP_STORE, 3,                  /* count = 0 */
  /*  8 */ OP_LOAD, 1, OP_LOAD, 0, OP_LT, OP_JZ, 55, /* while (i < limit) */
  /* 15 */ OP_PUSH, 2, OP_STORE, 2,                  /*   j = 2 */
  /* 19 */ OP_LOAD, 2, OP_DUP, OP_MUL,               /*   while (j * j <= i) */
  /* 23 */ OP_LOAD, 1, OP_LE, OP_JZ, 39,
  /* 28 */ OP_LOAD, 1, OP_LOAD, 2, OP_MOD, OP_JZ, 46, /*     if (i % j == 0) not prime */
  /* 35 */ OP_INC, 2, OP_JMP, 19,                    /*     j++ */
  /* 39 */ OP_LOAD, 3, OP_PUSH, 1, OP_ADD, OP_STORE, 3, /*   count += 1 */
  /* 46 */ OP_LOAD, 1, OP_PUSH, 1, OP_ADD, OP_STORE, 1, /*   i += 1 */
  /* 53 */ OP_JMP, 8,
  /* 55 */ OP_LOAD, 3, OP_HALT,                      /* return count */
};

static int32_t execute(const int32_t *code, int32_t limit) {
  int32_t stack[16];
  int32_t vars[4] = {limit, 0, 0, 0};
  int sp = 0, pc = 0;
  for (;;) {
    int32_t a, b;
    switch ((enum op)code[pc++]) {
      case OP_PUSH: stack[sp++] = code[pc++]; break;
      case OP_LOAD: stack[sp++] = vars[code[pc++]]; break;
      case OP_STORE: vars[code[pc++]] = stack[--sp]; break;
      case OP_ADD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a + b; break;
      case OP_MUL: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a * b; break;
      case OP_MOD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = b ? a % b : 0; break;
      case OP_LT: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a < b; break;
      case OP_LE: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a <= b; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_JMP: pc = code[pc]; break;
      case OP_JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
      case OP_INC: vars[code[pc++]]++; break;
      case OP_HALT: return sp > 0 ? stack[sp - 1] : 0;
      default: return -1;
    }
  }
}

int run(int n) {
  return execute(program, n);
}
