/* templates_off.h - undo templates_on.h. */
#undef ATOMIC
#undef FUNCTION
#undef MEMBER
#undef BLAS
#undef PRECISION
