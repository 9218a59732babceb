/* main.c - the test runner: every suite of the library, run by `make test`. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "check.h"

int main(void)
{
    setenv("NTK_QUIET", "1", 1); /* no progress lines in the test log */
    ntk_install_gsl_handler();
    if (CU_initialize_registry() != CUE_SUCCESS) return 2;

    ntk_test_blas();
    ntk_test_nonlin();
    ntk_test_net();
    ntk_test_entk();
    ntk_test_precision();
    ntk_test_limit();
    ntk_test_hermite();
    ntk_test_kla();
    ntk_test_kregress();
    ntk_test_stats();
    ntk_test_rf();
    ntk_test_data();
    ntk_test_grid();
    ntk_test_mnist();
    ntk_test_atomic();
    ntk_test_idx();
    ntk_test_output();
    ntk_test_params();
    ntk_test_table();
    ntk_test_cli();
    ntk_test_checkpoint();
    ntk_test_experiments();

    if (CU_get_error() != CUE_SUCCESS) {
        fprintf(stderr, "test registration failed: %s\n", CU_get_error_msg());
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
