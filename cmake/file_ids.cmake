# File ids for QUARTZ_ASSERT (include/quartz/assert.h). A failed assertion
# on target records a 16-bit file id and the line instead of the file name,
# so no strings go into flash. The id of a source is the first four hex
# digits of the SHA-1 of its path relative to the top of the tree: stable
# across builds and machines, so a report from a board decodes against any
# checkout of the same tree. The table of ids is written to
# ${CMAKE_BINARY_DIR}/assert-files.txt; two paths with one id stop the
# configure.

# quartz_file_id(<path relative to the top> <out var>): the id, as 0x....
function(quartz_file_id rel out)
    string(SHA1 h "${rel}")
    string(SUBSTRING "${h}" 0 4 id)
    set(${out} "0x${id}" PARENT_SCOPE)
endfunction()

function(_quartz_collect_targets dir out)
    get_property(tgts DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    get_property(subs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    foreach(s IN LISTS subs)
        _quartz_collect_targets(${s} sub)
        list(APPEND tgts ${sub})
    endforeach()
    set(${out} ${tgts} PARENT_SCOPE)
endfunction()

# Call once, after every firmware target is defined.
function(quartz_assign_file_ids)
    _quartz_collect_targets(${CMAKE_SOURCE_DIR} targets)
    set(seen "")
    set(table "# QUARTZ_ASSERT file ids: id path (cmake/file_ids.cmake)\n")
    foreach(t IN LISTS targets)
        get_target_property(type ${t} TYPE)
        if(NOT type MATCHES "^(OBJECT_LIBRARY|EXECUTABLE|STATIC_LIBRARY)$")
            continue()
        endif()
        get_target_property(srcs ${t} SOURCES)
        get_target_property(sdir ${t} SOURCE_DIR)
        foreach(src IN LISTS srcs)
            if(NOT src MATCHES "\\.c$")
                continue()
            endif()
            cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY ${sdir} NORMALIZE OUTPUT_VARIABLE abs)
            file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${abs})
            quartz_file_id(${rel} id)
            get_property(defs SOURCE ${abs} TARGET_DIRECTORY ${t} PROPERTY COMPILE_DEFINITIONS)
            if(NOT "QUARTZ_FILE_ID=${id}" IN_LIST defs)
                set_property(SOURCE ${abs} TARGET_DIRECTORY ${t} APPEND PROPERTY
                    COMPILE_DEFINITIONS QUARTZ_FILE_ID=${id})
            endif()
            if(DEFINED _qid_${id})
                if(NOT _qid_${id} STREQUAL rel)
                    message(FATAL_ERROR "QUARTZ_FILE_ID ${id}: ${rel} and ${_qid_${id}}; rename one")
                endif()
            else()
                set(_qid_${id} ${rel})
                list(APPEND seen ${id})
                string(APPEND table "${id} ${rel}\n")
            endif()
        endforeach()
    endforeach()
    file(WRITE ${CMAKE_BINARY_DIR}/assert-files.txt "${table}")
endfunction()
