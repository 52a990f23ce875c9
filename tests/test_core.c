/* test_core.c: the unit tests of the C core against hand computations and finite
   differences, by concept in tests/core/ (common.h: what they share). */
#include "core/common.h"

int
main (int argc, char **argv)
{
  test_forward_hand ();
  test_forward_blocked ();
  test_gradient_fd (9, 4, 30);
  test_gradient_fd (130, 6, 600);
  test_gradient_fd (2100, 2, 1100);
  test_single ();
  test_threads ();
  test_gram_identity ();
  test_gram ();
  test_diag ();
  test_steps_hand ();
  test_table ();
  test_losses ();
  test_external ();
  test_errors ();
  test_train ();
  test_train_stops ();
  test_step_pieces ();
  test_batch_rows ();
  test_minibatch ();
  test_kernel ();
  test_sha256 ();
  test_read ();
  test_outputs ();
  train_done ();
  printf ("%s: %d passed, %d failed\n", argc > 1 ? argv[1] : "core", passed, failed);
  return failed > 0;
}
